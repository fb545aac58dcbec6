/**
 * `npm run mutation:summary`: the mutation report (reports/mutation/mutation.json,
 * Stryker's mutation-testing-report-schema) as Markdown for the README: the score
 * over every folder mutated, then the surviving and uncovered mutants by file and
 * by mutator, the places to write tests or to list equivalents. Mutants ignored by a
 * `// Stryker disable next-line <mutator>: <reason>` comment are the equivalent
 * mutants, listed with their reason; static mutants ignored by `ignoreStatic` are
 * counted apart. `--survivors <file>` also writes every undetected mutant, one line
 * each, for the next person to kill or to mark.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

const MutantSchema = z.object({
  id: z.string(),
  mutatorName: z.string(),
  status: z.string(),
  replacement: z.string().optional(),
  statusReason: z.string().optional(),
  location: z.object({ start: z.object({ line: z.number(), column: z.number() }) }),
});
const ReportSchema = z.object({ files: z.record(z.string(), z.object({ mutants: z.array(MutantSchema) })) });

/** Mutants that a test noticed (Stryker counts timeouts as detected). */
const DETECTED = new Set(['Killed', 'Timeout']);
/** Mutants that no test noticed. */
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
/** Stryker's reason for a mutant left out by `ignoreStatic` (not one a person marked). */
const STATIC_REASON = /^Static mutant/;

/** One mutant, where it is and what it replaces. */
export interface MutantPlace {
  readonly file: string;
  readonly line: number;
  readonly mutator: string;
  readonly replacement: string;
  /** For an equivalent mutant: the reason of its `Stryker disable` comment; for an undetected one: Survived or NoCoverage. */
  readonly reason: string;
}

export interface MutationSummary {
  readonly detected: number;
  readonly undetected: number;
  /** detected ÷ (detected + undetected), as Stryker's mutation score (compile errors and ignored mutants left out). */
  readonly score: number;
  readonly byFolder: readonly { folder: string; detected: number; undetected: number }[];
  readonly byFile: readonly { file: string; undetected: number; total: number }[];
  readonly byMutator: readonly { mutator: string; undetected: number }[];
  /** Mutants a `Stryker disable` comment marked as equivalent, with its reason. */
  readonly equivalents: readonly MutantPlace[];
  /** Mutants left out because they run only when a module loads (`ignoreStatic`). */
  readonly ignoredStatic: number;
  /** Every mutant no test noticed. */
  readonly survivors: readonly MutantPlace[];
}

/** Tallies a parsed report. `folderOf` maps a file to the folder its score is given for. */
export function summarise(report: unknown, folderOf: (file: string) => string = (file) => file.split('/').slice(0, file.startsWith('producers/') ? 2 : 1).join('/')): MutationSummary {
  const { files } = ReportSchema.parse(report);
  const folders = new Map<string, { detected: number; undetected: number }>();
  const mutators = new Map<string, number>();
  const byFile: { file: string; undetected: number; total: number }[] = [];
  const equivalents: MutantPlace[] = [];
  const survivors: MutantPlace[] = [];
  let ignoredStatic = 0;
  let detected = 0;
  let undetected = 0;
  for (const [file, { mutants }] of Object.entries(files)) {
    const folder = folders.get(folderOf(file)) ?? { detected: 0, undetected: 0 };
    let fileUndetected = 0;
    let fileTotal = 0;
    for (const mutant of mutants) {
      const place = (reason: string): MutantPlace => ({ file, line: mutant.location.start.line, mutator: mutant.mutatorName, replacement: mutant.replacement ?? '', reason });
      if (mutant.status === 'Ignored') {
        if (STATIC_REASON.test(mutant.statusReason ?? '')) ignoredStatic++;
        else equivalents.push(place(mutant.statusReason ?? '(no reason given)'));
      } else if (DETECTED.has(mutant.status)) {
        detected++;
        folder.detected++;
        fileTotal++;
      } else if (UNDETECTED.has(mutant.status)) {
        undetected++;
        folder.undetected++;
        fileUndetected++;
        fileTotal++;
        survivors.push(place(mutant.status));
        mutators.set(mutant.mutatorName, (mutators.get(mutant.mutatorName) ?? 0) + 1);
      }
    }
    folders.set(folderOf(file), folder);
    if (fileTotal > 0) byFile.push({ file, undetected: fileUndetected, total: fileTotal });
  }
  return {
    detected,
    undetected,
    score: detected / Math.max(1, detected + undetected),
    byFolder: [...folders].map(([folder, counts]) => ({ folder, ...counts })).sort((a, b) => a.folder.localeCompare(b.folder)),
    byFile: byFile.filter((row) => row.undetected > 0).sort((a, b) => b.undetected - a.undetected || a.file.localeCompare(b.file)),
    byMutator: [...mutators].map(([mutator, count]) => ({ mutator, undetected: count })).sort((a, b) => b.undetected - a.undetected),
    equivalents: equivalents.sort(byPlace),
    ignoredStatic,
    survivors: survivors.sort(byPlace),
  };
}

const byPlace = (a: MutantPlace, b: MutantPlace) => a.file.localeCompare(b.file) || a.line - b.line;

/** Table cells may not hold a pipe or a line break. */
const cell = (text: string) => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|');

const pct = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(1)} %`;

/** The summary as Markdown tables (`top` files with the most undetected mutants). */
export function summaryMarkdown(summary: MutationSummary, top = 15): string {
  return [
    `Mutation score **${pct(summary.detected, summary.detected + summary.undetected)}**: ${summary.detected} of ${summary.detected + summary.undetected} mutants detected (killed or timed out), ${summary.undetected} survived or not covered.`,
    '',
    '| folder | detected | undetected | score |',
    '|---|---:|---:|---:|',
    ...summary.byFolder.map((row) => `| \`${row.folder}/\` | ${row.detected} | ${row.undetected} | ${pct(row.detected, row.detected + row.undetected)} |`),
    '',
    `| file (${Math.min(top, summary.byFile.length)} with the most undetected) | undetected | of |`,
    '|---|---:|---:|',
    ...summary.byFile.slice(0, top).map((row) => `| \`${row.file}\` | ${row.undetected} | ${row.total} |`),
    '',
    `Undetected by mutator: ${summary.byMutator.map((row) => `${row.mutator} ${row.undetected}`).join(', ') || 'none'}.`,
    '',
    `Static mutants left out (\`ignoreStatic\`): ${summary.ignoredStatic}.`,
    '',
    `Equivalent mutants (${summary.equivalents.length}), each marked by a \`Stryker disable\` comment on its line:`,
    '',
    ...(summary.equivalents.length === 0
      ? ['None.']
      : ['| file:line | mutator | why it is equivalent |', '|---|---|---|', ...summary.equivalents.map((row) => `| \`${row.file}:${row.line}\` | ${row.mutator} | ${cell(row.reason)} |`)]),
  ].join('\n');
}

/** Every undetected mutant as a Markdown list, one line each: where, which mutator, what it put in. */
export function survivorsMarkdown(summary: MutationSummary): string {
  const lines = summary.survivors.map((row) => `- \`${row.file}:${row.line}\` ${row.mutator} (${row.reason}): \`${cell(row.replacement).slice(0, 120)}\``);
  return [`# Undetected mutants (${summary.survivors.length})`, '', 'Written by `npm run mutation:summary -- --survivors <file>` from the last Stryker report.', '', ...lines, ''].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const survivorsAt = args.indexOf('--survivors');
  const survivorsFile = survivorsAt >= 0 ? args.splice(survivorsAt, 2)[1] : undefined;
  const path = args[0] ?? 'reports/mutation/mutation.json';
  let report: unknown;
  try {
    report = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    console.error(`cannot read the mutation report ${path} (${(error as Error).message}): run \`npm run mutation\` first`);
    process.exit(1);
  }
  const summary = summarise(report);
  console.log(summaryMarkdown(summary));
  if (survivorsFile) writeFileSync(survivorsFile, survivorsMarkdown(summary));
}
