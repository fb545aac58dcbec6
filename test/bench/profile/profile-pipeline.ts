import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ingestPaths } from '../../../infra/local/stack/ingest-paths.js';
import { startTestStack } from '../../helpers/local-stack.js';
import { profileClockUs, profileWhile, profileWindow, type CpuProfile } from './cpu-profile.js';
import { busyMs, renderFlameGraph, selfByArea, topSelf, type FrameTime } from './flame-graph.js';
import { defaultSourceMapLookup, mapToSources } from './source-mapped.js';

/** The processes profiled: the producer (this process, what the ingest Lambda runs), the consumer process, kinesalite. */
export const ProfiledRole = { Producer: 'producer', Consumer: 'consumer', Kinesalite: 'kinesalite' } as const;
export type ProfiledRole = (typeof ProfiledRole)[keyof typeof ProfiledRole];

export interface PipelineProfile {
  readonly role: ProfiledRole;
  readonly busyMs: number;
  readonly top: readonly FrameTime[];
  readonly areas: readonly { area: string; selfMs: number; share: number }[];
  /** The flame graph's file, in the output folder. */
  readonly svg: string;
}

async function profilesIn(dir: string): Promise<CpuProfile[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return Promise.all(names.filter((name) => name.endsWith('.cpuprofile')).map(async (name) => JSON.parse(await readFile(join(dir, name), 'utf8')) as CpuProfile));
}

/**
 * Profiles the whole local pipeline over `files`, warm: after one run not kept,
 * this process (the producer) with the inspector while the files are published and
 * loaded again, the consumer process and kinesalite with `--cpu-prof`
 * (`SUPERCAFE_CPU_PROF_DIR`), their profiles cut to that second run. Frames move
 * to their TypeScript lines by source maps (tsx's, the consumer bundle's).
 * Writes `flame-<role>.svg` and the `.cpuprofile` files into `out`; returns each
 * process's top self-time functions and areas.
 */
export async function profilePipeline(files: readonly string[], out: string, top = 12): Promise<PipelineProfile[]> {
  const dir = await mkdtemp(join(tmpdir(), 'supercafe-profile-'));
  const previous = process.env.SUPERCAFE_CPU_PROF_DIR;
  process.env.SUPERCAFE_CPU_PROF_DIR = dir;
  let producer: CpuProfile;
  let window: [number, number];
  try {
    const test = await startTestStack();
    try {
      const ingest = async () => {
        const run = await ingestPaths(test.stack, files);
        await test.stack.waitFor(run.receipt);
      };
      // As the CPU per row is measured: warm processes. One run first, not kept; the child processes' profiles are cut to the second.
      await ingest();
      const from = profileClockUs();
      ({ profile: producer } = await profileWhile(ingest));
      window = [from, profileClockUs()];
    } finally {
      await test.stop();
    }
  } finally {
    if (previous === undefined) delete process.env.SUPERCAFE_CPU_PROF_DIR;
    else process.env.SUPERCAFE_CPU_PROF_DIR = previous;
  }
  const repoRoot = resolve('.');
  // Frames of tsx's output (the producer, here) and of the consumer's bundle, moved to their TypeScript lines.
  const lookup = defaultSourceMapLookup();
  const sourced = (profiles: CpuProfile[]) => profiles.map((profile) => mapToSources(profile, lookup));
  const measured = (profiles: CpuProfile[]) => profiles.map((profile) => profileWindow(profile, ...window));
  const byRole: [ProfiledRole, CpuProfile[]][] = [
    [ProfiledRole.Producer, sourced([producer])],
    [ProfiledRole.Consumer, sourced(measured(await profilesIn(join(dir, 'consumer'))))],
    [ProfiledRole.Kinesalite, measured(await profilesIn(join(dir, 'kinesalite')))],
  ];
  const results: PipelineProfile[] = [];
  for (const [role, profiles] of byRole) {
    const first = profiles[0];
    if (!first) continue;
    const svg = `flame-${role}.svg`;
    await writeFile(join(out, svg), renderFlameGraph(first, { title: `${role} process, ${files.length} files`, repoRoot }));
    await writeFile(join(out, `${role}.cpuprofile`), JSON.stringify(first));
    results.push({ role, busyMs: profiles.reduce((sum, profile) => sum + busyMs(profile), 0), top: topSelf(profiles, repoRoot, top), areas: selfByArea(profiles, repoRoot).slice(0, top), svg });
  }
  await rm(dir, { recursive: true, force: true });
  return results;
}

/** The profile as Markdown: each process's busy time, its top functions by self time and its top areas. */
export function profileMarkdown(profiles: readonly PipelineProfile[], count = 8): string {
  const pct = (share: number) => `${(100 * share).toFixed(1)}%`;
  return profiles
    .map((profile) =>
      [
        `**${profile.role}** (${profile.busyMs.toFixed(0)} ms busy; flame graph \`${profile.svg}\`)`,
        '',
        '| self time | function | where |',
        '|---:|---|---|',
        ...profile.top.slice(0, count).map((frame) => `| ${pct(frame.share)} | \`${frame.name}\` | ${frame.location} |`),
        '',
        `by area: ${profile.areas.slice(0, count).map((area) => `${area.area} ${pct(area.share)}`).join(', ')}`,
      ].join('\n'),
    )
    .join('\n\n');
}
