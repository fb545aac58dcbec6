import { SAMPLE_STANDARD_DIR } from '../../../../samples/paths.js';
import { CliError, ExitStatus } from '../exit-status.js';

export interface GenerateOptions {
  readonly branches: string;
  readonly days: string;
  readonly start: string;
  readonly out: string;
  readonly seed: string;
}

const whole = (name: string, text: string): number => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new CliError(`--${name} must be a whole number of at least 1 (got "${text}")`);
  return value;
};

/** `supercafe generate`: synthetic nightly files with the sample data's menus, basket sizes, card share and hours. */
export async function generate(options: GenerateOptions): Promise<ExitStatus> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.start)) throw new CliError(`--start must be a date as YYYY-MM-DD (got "${options.start}")`);
  const { generateBranchDays } = await import('../../../../tools/generator/generate-sales.js');
  const { loadCatalogue } = await import('../../../../tools/catalogue/branch-profiles.js');
  const result = await generateBranchDays({
    catalogue: loadCatalogue([SAMPLE_STANDARD_DIR]),
    branches: whole('branches', options.branches),
    days: whole('days', options.days),
    startDate: options.start,
    outDir: options.out,
    seed: Number(options.seed),
  });
  console.log(`wrote ${result.files} files, ${result.rows} rows, to ${options.out}`);
  return ExitStatus.Ok;
}
