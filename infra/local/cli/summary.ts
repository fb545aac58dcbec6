import type { IngestRun } from '../stack/ingest-paths.js';

export interface RunTotals {
  readonly files: number;
  readonly filesRefused: number;
  readonly rowsRead: number;
  readonly eventsPublished: number;
  readonly rowsRejected: number;
  readonly linesSkipped: number;
  readonly rejectsByReason: Record<string, number>;
}

/** Adds up a run's per-file summaries. */
export function totalsOf(run: IngestRun): RunTotals {
  const rejectsByReason: Record<string, number> = {};
  for (const summary of run.summaries) {
    for (const [reason, count] of Object.entries(summary.rejectsByReason)) rejectsByReason[reason] = (rejectsByReason[reason] ?? 0) + count;
  }
  const sum = (pick: (s: IngestRun['summaries'][number]) => number) => run.summaries.reduce((total, s) => total + pick(s), 0);
  return {
    files: run.summaries.length + run.failures.length,
    filesRefused: run.failures.length,
    rowsRead: sum((s) => s.rowsRead),
    eventsPublished: sum((s) => s.eventsPublished),
    rowsRejected: sum((s) => s.rowsRejected),
    linesSkipped: sum((s) => s.linesSkipped),
    rejectsByReason,
  };
}

/** The end-of-run report: counts, rejects by reason, and where rejected rows were (file, line, reason only). */
export function formatSummary(run: IngestRun, salesAdded: number, maxRejectLines = 20): string {
  const totals = totalsOf(run);
  const lines = [
    '',
    `files:             ${totals.files}${totals.filesRefused ? ` (${totals.filesRefused} refused)` : ''}`,
    `rows read:         ${totals.rowsRead}`,
    `events published:  ${totals.eventsPublished}`,
    `sales loaded:      ${salesAdded} new${totals.eventsPublished > salesAdded ? ` (${totals.eventsPublished - salesAdded} already in the warehouse)` : ''}`,
    `rows rejected:     ${totals.rowsRejected}`,
  ];
  for (const [reason, count] of Object.entries(totals.rejectsByReason).sort((a, b) => b[1] - a[1])) lines.push(`  ${reason.padEnd(18)} ${count}`);
  if (totals.linesSkipped) lines.push(`lines skipped:     ${totals.linesSkipped} (headers and blank lines)`);
  const rejections = run.summaries.flatMap((s) => s.rejections.map((r) => ({ file: s.file, ...r })));
  if (rejections.length > 0) {
    lines.push('', 'quarantined rows (file:line reason [field]):');
    for (const r of rejections.slice(0, maxRejectLines)) lines.push(`  ${r.file}:${r.line} ${r.reason}${r.field ? ` [${r.field}]` : ''}`);
    if (totals.rowsRejected > maxRejectLines) lines.push(`  … ${totals.rowsRejected - maxRejectLines} more: supercafe sql "select * from quarantine"`);
  }
  for (const failure of run.failures) lines.push(`refused: ${failure.message}`);
  return lines.join('\n');
}
