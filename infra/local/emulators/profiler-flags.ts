import { join } from 'node:path';

/**
 * Node flags for a child process of the local stack: none, unless
 * `SUPERCAFE_CPU_PROF_DIR` names a folder, when the child writes a V8 CPU profile
 * into `<folder>/<role>/` as it exits (`npm run bench -- --profile`).
 */
export function profilerFlags(role: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const dir = env.SUPERCAFE_CPU_PROF_DIR;
  if (!dir) return [];
  return ['--cpu-prof', `--cpu-prof-dir=${join(dir, role)}`, '--cpu-prof-interval=250'];
}
