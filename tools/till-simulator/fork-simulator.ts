import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ChildRequest } from './simulator-child.js';
import type { TillSimulatorReport } from './simulator.js';

/**
 * Runs the till simulator in a child Node process (TypeScript through tsx, a
 * project dependency) and gathers its report and the send time of every accepted
 * sale, for latency measured from the moment a till sent it.
 */
export function runTillSimulatorInChild(request: ChildRequest, onAccepted?: (eventId: string, sentAt: number) => void): Promise<TillSimulatorReport> {
  const child = fork(fileURLToPath(new URL('./simulator-child.ts', import.meta.url)), {
    execArgv: ['--import', import.meta.resolve('tsx')],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<TillSimulatorReport>((resolve, reject) => {
    let report: TillSimulatorReport | undefined;
    child.on('message', (message: ChildMessage) => {
      if (message.kind === 'accepted') for (const [eventId, sentAt] of message.sales) onAccepted?.(eventId, sentAt);
      else if (message.kind === 'done') report = message.report;
      else reject(new Error(`till simulator failed: ${message.message}`));
    });
    child.once('error', reject);
    child.once('exit', (code) => (report ? resolve(report) : reject(new Error(`till simulator exited (${code ?? 'signal'}) without a report`))));
    child.send(request);
  });
}
