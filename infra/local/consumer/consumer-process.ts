import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WriteReceipt } from '../../../producers/shared/ports.js';
import { consumerSemiSpaceOption } from '../../../consumers/sales-transform/heap-tuning.js';
import { CheckpointTracker } from './checkpoint-tracker.js';
import { profilerFlags } from '../emulators/profiler-flags.js';

export interface ConsumerProcessOptions {
  readonly kinesisEndpoint: string;
  readonly streamName: string;
  readonly region: string;
  readonly databaseUrl: string;
  readonly pepper: string;
  readonly archiveDir: string;
  readonly erasuresFile?: string;
  readonly deadLettersDir: string;
}

/** What the stack tells its consumer process. */
export type ConsumerProcessCommand = { type: 'start'; options: ConsumerProcessOptions } | { type: 'stop' };

/** What the consumer process tells the stack. */
export type ConsumerProcessMessage =
  | { type: 'ready' }
  | { type: 'log'; line: string }
  | { type: 'checkpoint'; shardId: string; sequence: string };

export interface ConsumerProcess {
  readonly pid: number | undefined;
  waitFor(receipt: WriteReceipt, signal?: AbortSignal): Promise<void>;
  /** The last sequence number the consumer process reported fully processed, per shard. */
  checkpoints(): ReadonlyMap<string, bigint>;
  stop(): Promise<void>;
}

/** Restarts allowed after the consumer process dies unasked, before the stack gives up on it. */
const MAX_RESTARTS = 5;
const STOP_GRACE_MS = 10_000;

/**
 * Runs the consumer in a child process (see consumer-process-main.ts) and follows
 * its checkpoints. A consumer that dies is started again, as Lambda would invoke
 * again: it resumes from its saved checkpoints, and what it loads twice (a batch
 * loaded but not yet checkpointed) changes nothing, as loading is idempotent.
 *
 * `options` may still be on their way (the warehouse and the stream starting): the
 * child is forked at once and loads its code meanwhile, then starts when they come;
 * if they never do, the child is stopped and the error passed on.
 */
export async function startConsumerProcess(options: ConsumerProcessOptions | Promise<ConsumerProcessOptions>, log: (line: string) => void): Promise<ConsumerProcess> {
  const tracker = new CheckpointTracker();
  const entry = fileURLToPath(new URL('./consumer-process-boot.mjs', import.meta.url));
  let child: ChildProcess;
  let stopping = false;
  let restarts = 0;

  const spawn = () =>
    new Promise<void>((resolve, reject) => {
      let ready = false;
      child = fork(entry, [], {
        // Not the parent's flags (a test runner's loader, a profiler): the boot file loads what it needs.
        execArgv: [consumerSemiSpaceOption(), ...profilerFlags('consumer')],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      // Over IPC, not argv or the environment: the options hold the pepper.
      Promise.resolve(options).then(
        (ready) => child.connected && child.send({ type: 'start', options: ready } satisfies ConsumerProcessCommand),
        (error: unknown) => {
          stopping = true;
          child.kill();
          reject(error);
        },
      );
      child.on('message', (message: ConsumerProcessMessage) => {
        if (message.type === 'ready') {
          ready = true;
          resolve();
        } else if (message.type === 'checkpoint') tracker.advance(message.shardId, BigInt(message.sequence));
        else if (message.type === 'log') log(message.line);
      });
      child.once('exit', (code, signal) => {
        reject(new Error(`the consumer process exited (${signal ?? `code ${code}`}) before it was ready`));
        if (stopping || !ready) return;
        if (restarts >= MAX_RESTARTS) return log(`consumer process exited (${signal ?? `code ${code}`}); given up after ${restarts} restarts`);
        restarts++;
        log(`consumer process exited (${signal ?? `code ${code}`}); starting it again`);
        spawn().catch((error: unknown) => log(error instanceof Error ? error.message : String(error)));
      });
    });

  await spawn();
  return {
    get pid() {
      return child.pid;
    },
    waitFor: (receipt, signal) => tracker.waitFor(receipt, signal),
    checkpoints: () => tracker.snapshot(),
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'stop' } satisfies ConsumerProcessCommand);
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
