import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ingestPaths } from '../../../infra/local/stack/ingest-paths.js';
import { startTestStack } from '../../helpers/local-stack.js';
import { profileWhile, type CpuProfile } from './cpu-profile.js';
import { busyMs, renderFlameGraph, selfByArea, topSelf, type FrameTime } from './flame-graph.js';

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
 * Profiles the whole local pipeline over `files`: this process (the producer) with
 * the inspector while the files are published and loaded, the consumer process and
 * kinesalite with `--cpu-prof` (`SUPERCAFE_CPU_PROF_DIR`) from start to stop.
 * Writes `flame-<role>.svg` and the `.cpuprofile` files into `out`; returns each
 * process's top self-time functions and areas.
 */
export async function profilePipeline(files: readonly string[], out: string, top = 12): Promise<PipelineProfile[]> {
  const dir = await mkdtemp(join(tmpdir(), 'supercafe-profile-'));
  const previous = process.env.SUPERCAFE_CPU_PROF_DIR;
  process.env.SUPERCAFE_CPU_PROF_DIR = dir;
  let producer: CpuProfile;
  try {
    const test = await startTestStack();
    try {
      ({ profile: producer } = await profileWhile(async () => {
        const run = await ingestPaths(test.stack, files);
        await test.stack.waitFor(run.receipt);
      }));
    } finally {
      await test.stop();
    }
  } finally {
    if (previous === undefined) delete process.env.SUPERCAFE_CPU_PROF_DIR;
    else process.env.SUPERCAFE_CPU_PROF_DIR = previous;
  }
  const repoRoot = resolve('.');
  const byRole: [ProfiledRole, CpuProfile[]][] = [
    [ProfiledRole.Producer, [producer]],
    [ProfiledRole.Consumer, await profilesIn(join(dir, 'consumer'))],
    [ProfiledRole.Kinesalite, await profilesIn(join(dir, 'kinesalite'))],
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
