import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { penceToPounds, poundsToPence } from '../../contracts/index.js';
import { seededRandom } from '../till-simulator/sale-generator.js';

export { seededRandom };
import type { BranchProfile } from '../catalogue/branch-profiles.js';

// Invented names: the generator never reproduces the sample files' customers.
const FIRST = ['Alex', 'Sam', 'Jo', 'Robin', 'Kim', 'Charlie', 'Jamie', 'Morgan', 'Riley', 'Casey', 'Drew', 'Quinn', 'Avery', 'Rowan', 'Sage', 'Ellis'];
const LAST = ['Ashdown', 'Brightwater', 'Coldstream', 'Dunmore', 'Elmsworth', 'Fairholme', 'Greyling', 'Hartwell', 'Ivybridge', 'Juniper', 'Kestrel', 'Larkspur', 'Moorcroft', 'Northwood', 'Oakhurst', 'Pennywhistle'];

const pick = <T>(random: () => number, values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
const two = (value: number) => String(value).padStart(2, '0');

/** One synthetic CSV row in the standard layout for a branch at a local time. */
export function generateRow(random: () => number, profile: BranchProfile, date: string, minuteOfDay: number): string {
  const items = Array.from({ length: pick(random, profile.basketSizes) }, () => pick(random, profile.menu));
  const totalPence = items.reduce((sum, item) => sum + (poundsToPence(item.price) ?? 0), 0);
  const basket = items.map((item) => `${item.size} ${item.name} - ${item.price}`).join(', ');
  const card = random() < profile.cardShare;
  const [year, month, day] = date.split('-');
  const name = `${pick(random, FIRST)} ${pick(random, LAST)}`;
  const cardNumber = card ? `4${Array.from({ length: 15 }, () => Math.floor(random() * 10)).join('')}` : '';
  const quoted = items.length > 1 ? `"${basket}"` : basket;
  return `${day}/${month}/${year} ${two(Math.floor(minuteOfDay / 60))}:${two(minuteOfDay % 60)},${profile.branch},${name},${quoted},${penceToPounds(totalPence)},${card ? 'CARD' : 'CASH'},${cardNumber}`;
}

/** Rows of one branch-day, spread over its trading hours in time order. */
export function* generateDay(random: () => number, profile: BranchProfile, date: string, rows = profile.rowsPerDay): Generator<string> {
  const open = profile.openHour * 60;
  const span = Math.max(60, (profile.closeHour - profile.openHour) * 60);
  for (let index = 0; index < rows; index++) yield generateRow(random, profile, date, open + Math.floor((index * span) / rows));
}

async function writeLines(path: string, lines: Iterable<string>): Promise<number> {
  const out = createWriteStream(path);
  let count = 0;
  for (const line of lines) {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
    count++;
  }
  out.end();
  await once(out, 'finish');
  return count;
}

/** Branch names for N branches: the sample's own, then numbered new ones with borrowed profiles. */
function branchProfiles(catalogue: readonly BranchProfile[], branches: number): BranchProfile[] {
  return Array.from({ length: branches }, (_, index) => {
    const base = catalogue[index % catalogue.length] as BranchProfile;
    return index < catalogue.length ? base : { ...base, branch: `${base.branch} ${Math.floor(index / catalogue.length) + 1}` };
  });
}

/** Writes one file per branch-day (`<branch>_<date>.csv`), the nightly uploads of N branches over D days. */
export async function generateBranchDays(options: { catalogue: readonly BranchProfile[]; branches: number; days: number; startDate: string; outDir: string; seed?: number }): Promise<{ files: number; rows: number }> {
  const random = seededRandom(options.seed ?? 1);
  await mkdir(options.outDir, { recursive: true });
  let files = 0;
  let rows = 0;
  for (let day = 0; day < options.days; day++) {
    const date = new Date(Date.parse(`${options.startDate}T00:00:00Z`) + day * 86_400_000).toISOString().slice(0, 10);
    for (const profile of branchProfiles(options.catalogue, options.branches)) {
      const slug = profile.branch.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      rows += await writeLines(join(options.outDir, `${slug}_${date}.csv`), generateDay(random, profile, date));
      files++;
    }
  }
  return { files, rows };
}

/** Writes one large file of `rows` sales (a branch trading for as many days as it takes), for load tests. */
export async function generateLargeFile(options: { catalogue: readonly BranchProfile[]; rows: number; path: string; seed?: number; startDate?: string }): Promise<number> {
  const random = seededRandom(options.seed ?? 7);
  const profile = options.catalogue[0] as BranchProfile;
  const start = Date.parse(`${options.startDate ?? '2024-01-01'}T00:00:00Z`);
  function* rows(): Generator<string> {
    for (let produced = 0, day = 0; produced < options.rows; day++) {
      const date = new Date(start + day * 86_400_000).toISOString().slice(0, 10);
      const count = Math.min(1000, options.rows - produced);
      yield* generateDay(random, profile, date, count);
      produced += count;
    }
  }
  return writeLines(options.path, rows());
}
