import {
  Delimiter,
  RawSaleSchema,
  RejectReason,
  rejectReasonOf,
  SkipReason,
  type ParsedSale,
  type RawSale,
  type RejectReasonCode,
} from '../../contracts/index.js';
import { mapRow } from './map-row.js';
import { columnsOf, isBlank, isHeaderShaped, isSaleLike } from './line-shape.js';
import type { FileFormat } from './sniff-format.js';

/** What one record of a file is: a sale, a row rejected with its reason, or a line skipped with its reason. */
export type RecordOutcome =
  | { readonly kind: 'sale'; readonly raw: RawSale; readonly sale: ParsedSale }
  | { readonly kind: 'rejected'; readonly reason: RejectReasonCode; readonly field: string | null }
  | { readonly kind: 'skipped'; readonly reason: SkipReason };

/** Where in the file the record is: before or after the first row (which tells a preamble from a footnote). */
export interface RecordPosition {
  /** True once a record of the file was read as a row (a sale or a rejected row). */
  readonly afterRows: boolean;
}

/** The contract's first issue as a reject reason (the one mapping, `rejectReasonOf`) and a field path. */
function rejection(issues: readonly { readonly message: string; readonly path: readonly PropertyKey[] }[]): RecordOutcome {
  const issue = issues[0];
  // Stryker disable next-line OptionalChaining: a failed parse has at least one issue (the `?.` only satisfies the index type)
  return { kind: 'rejected', reason: rejectReasonOf(issue, RejectReason.RowMalformed), field: issue?.path.join('.') || null };
}

/**
 * Classifies one CSV record of a file in a known format. Pure: the same record
 * in the same format and position is always the same outcome.
 *
 * - blank (empty fields only) → skipped `blank`;
 * - a record holding a date or a basket item is a row: rejected with the reason
 *   the layout mapping or the RawSale contract gives (`column_count`,
 *   `date_unparsable`, …), or a sale. So a damaged sale (a missing field,
 *   another separator, an unquoted comma) is rejected with a reason, never
 *   skipped as a note;
 * - seven column names → skipped `header` (anywhere: files joined end to end repeat theirs);
 * - anything else → skipped `preamble` before the first row, `footnote` after
 *   (a title, an export note, Excel's `sep=` line, a totals line, a second table).
 */
export function classifyRecord(record: readonly string[], format: FileFormat, position: RecordPosition): RecordOutcome {
  if (isBlank(record)) return { kind: 'skipped', reason: SkipReason.Blank };
  const columns = columnsOf(record, format.dialect);
  if (!isSaleLike(columns)) {
    if (isHeaderShaped(columns)) return { kind: 'skipped', reason: SkipReason.Header };
    return { kind: 'skipped', reason: position.afterRows ? SkipReason.Footnote : SkipReason.Preamble };
  }
  // Bytes that were not text in the file's encoding: the row cannot be trusted, the rest of the file can.
  for (const field of columns) if (field.includes('\uFFFD')) return { kind: 'rejected', reason: RejectReason.EncodingInvalid, field: null };
  // Where the comma does not separate fields, `2,15` can only be a decimal comma.
  const mapped = mapRow(columns, format.layout, { decimalComma: format.dialect.decimalComma || format.dialect.delimiter !== Delimiter.Comma });
  if (!mapped.ok) return { kind: 'rejected', reason: mapped.reason, field: mapped.field };
  const parsed = RawSaleSchema.safeParse(mapped.sale);
  if (!parsed.success) return rejection(parsed.error.issues);
  return { kind: 'sale', raw: mapped.sale, sale: parsed.data };
}
