/**
 * The README's benchmark results live between two markers, so a full bench run can
 * write them again without touching the prose around them.
 */
export const BENCH_SECTION = { start: '<!-- bench:results:start (written by `npm run bench`; edit the prose outside) -->', end: '<!-- bench:results:end -->' } as const;

/**
 * `readme` with the text between the bench markers replaced by `results`.
 * @throws Error when the markers are missing or out of order (nothing is written then).
 */
export function replaceBenchSection(readme: string, results: string): string {
  const start = readme.indexOf(BENCH_SECTION.start);
  const end = readme.indexOf(BENCH_SECTION.end);
  if (start < 0 || end < start) throw new Error(`README.md has no bench section: add the lines ${BENCH_SECTION.start} and ${BENCH_SECTION.end} where the results go`);
  return `${readme.slice(0, start + BENCH_SECTION.start.length)}\n${results.trim()}\n${readme.slice(end)}`;
}
