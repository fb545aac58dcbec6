import {
  FileLayout,
  type FileDialect,
  type FileEncoding,
  type FileLayout as FileLayoutName,
  type LineEndings,
  type LinesSkipped,
  type ParsedSale,
  type RejectReasonCode,
} from '../../contracts/index.js';
import type { RecordOutcome } from './classify-record.js';
import type { FileFormat } from './sniff-format.js';

/** A rejected row as the summary shows it: where and why, never what it said. */
export interface RowRejection {
  readonly line: number;
  readonly reason: RejectReasonCode;
  readonly field: string | null;
}

/** What became of every line of a file, as the FileIngested event and the CLI summary report it. */
export interface FileTotals {
  readonly layout: FileLayoutName;
  readonly branch: string | null;
  readonly businessDate: string | null;
  readonly encoding: FileEncoding | null;
  readonly dialect: FileDialect | null;
  readonly lineEndings: LineEndings | null;
  /** Physical lines read. */
  readonly lines: number;
  /** Rows read: published or rejected. */
  readonly rowsRead: number;
  readonly eventsPublished: number;
  readonly rowsRejected: number;
  readonly linesSkipped: number;
  readonly skipped: LinesSkipped;
  /** Lines after the first of rows whose quoted fields span lines. */
  readonly linesContinued: number;
  readonly rejectsByReason: Readonly<Record<string, number>>;
  /** The first rejections, for people to read; the quarantine table has them all. */
  readonly rejections: readonly RowRejection[];
}

const KEPT_REJECTIONS = 50;

/**
 * The account of one file, kept as its records are classified: every record adds
 * its lines and its outcome, so `lines = rowsRead + linesSkipped + linesContinued`
 * holds by the way it is counted, for every file and at every moment. Also keeps
 * the branch (the most frequent one among the sales) and the business date (the
 * first sale's). Holds counts, never row content.
 */
export class FileAccount {
  private lines = 0;
  private linesContinued = 0;
  private rowsRead = 0;
  private eventsPublished = 0;
  private rowsRejected = 0;
  private readonly skipped: { -readonly [reason in keyof LinesSkipped]: number } = { blank: 0, header: 0, preamble: 0, footnote: 0 };
  private readonly rejectsByReason: Record<string, number> = {};
  private readonly rejections: RowRejection[] = [];
  private readonly branches = new Map<string, number>();
  private businessDate: string | null = null;
  private sniffed: FileFormat | undefined;
  private encoding: FileEncoding | null = null;
  private lineEndings: LineEndings | null = null;

  /** True once a record was read as a row: later non-rows are footnotes, not preamble. */
  get afterRows(): boolean {
    return this.rowsRead > 0;
  }

  /** The format the file was found in, once sniffed. */
  get format(): FileFormat | undefined {
    return this.sniffed;
  }

  /** Rows read so far and rows rejected, for progress reports. */
  get progress(): { rowsRead: number; rowsRejected: number } {
    return { rowsRead: this.rowsRead, rowsRejected: this.rowsRejected };
  }

  /** Notes how the file was written, as it is found out. */
  describe(found: { encoding?: FileEncoding; format?: FileFormat; lineEndings?: LineEndings }): void {
    if (found.encoding) this.encoding = found.encoding;
    if (found.format) this.sniffed = found.format;
    if (found.lineEndings) this.lineEndings = found.lineEndings;
  }

  /**
   * Adds one record: the lines it spans (1, or more for quoted line breaks) and
   * what it was. A sale is counted as read here, and as published by
   * {@link published} once the producer has written it.
   */
  add(outcome: RecordOutcome, line: number, span: number): void {
    this.lines += span;
    this.linesContinued += span - 1;
    switch (outcome.kind) {
      case 'skipped':
        this.skipped[outcome.reason]++;
        return;
      case 'rejected':
        this.reject(line, outcome.reason, outcome.field);
        return;
      case 'sale':
        this.sale(outcome.sale);
        return;
      // Stryker disable next-line ConditionalExpression,BlockStatement: the never check is for the type checker (a new outcome kind fails to compile); no outcome reaches it
      default: {
        const unhandled: never = outcome;
        return unhandled;
      }
    }
  }

  /** A line refused before it could be parsed (an overlong or broken record): one line, one rejected row. */
  refusedLine(line: number, reason: RejectReasonCode): void {
    this.lines++;
    this.reject(line, reason, null);
  }

  /** The sale was published as its own event. */
  published(): void {
    this.eventsPublished++;
  }

  /** The account as it stands. */
  totals(): FileTotals {
    const branch = [...this.branches.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
    const layout = this.sniffed?.layout;
    const fileLayout: FileLayoutName =
      layout === undefined || this.rowsRead === 0 ? FileLayout.Unknown : this.skipped.header > 0 && layout === FileLayout.Standard ? FileLayout.Header : layout;
    const skipped = { ...this.skipped };
    return {
      layout: fileLayout,
      branch,
      businessDate: this.businessDate,
      encoding: this.encoding,
      dialect: this.sniffed?.dialect ?? null,
      lineEndings: this.lineEndings,
      lines: this.lines,
      rowsRead: this.rowsRead,
      eventsPublished: this.eventsPublished,
      rowsRejected: this.rowsRejected,
      linesSkipped: skipped.blank + skipped.header + skipped.preamble + skipped.footnote,
      skipped,
      linesContinued: this.linesContinued,
      rejectsByReason: { ...this.rejectsByReason },
      rejections: [...this.rejections],
    };
  }

  private reject(line: number, reason: RejectReasonCode, field: string | null): void {
    this.rowsRead++;
    this.rowsRejected++;
    this.rejectsByReason[reason] = (this.rejectsByReason[reason] ?? 0) + 1;
    if (this.rejections.length < KEPT_REJECTIONS) this.rejections.push({ line, reason, field });
  }

  private sale(sale: ParsedSale): void {
    this.rowsRead++;
    this.branches.set(sale.branch, (this.branches.get(sale.branch) ?? 0) + 1);
    this.businessDate ??= sale.businessDate;
  }
}
