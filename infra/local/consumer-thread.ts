import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { WriteReceipt } from '../../producers/shared/ports.js';
import { CheckpointTracker } from './checkpoint-tracker.js';

export interface ConsumerThreadOptions {
  readonly kinesisEndpoint: string;
  readonly streamName: string;
  readonly databaseUrl: string;
  readonly pepper: string;
  readonly archiveDir: string;
  readonly deadLettersDir: string;
}

export type ConsumerThreadMessage =
  | { type: 'ready' }
  | { type: 'stopped' }
  | { type: 'log'; line: string }
  | { type: 'checkpoint'; shardId: string; sequence: string };

export interface ConsumerThread {
  waitFor(receipt: WriteReceipt, signal?: AbortSignal): Promise<void>;
  checkpoints(): ReadonlyMap<string, bigint>;
  stop(): Promise<void>;
}

/** Starts the consumer (poller + handler + sink) in a worker thread; resolves once it polls. */
export async function startConsumerThread(options: ConsumerThreadOptions, log: (line: string) => void): Promise<ConsumerThread> {
  const tracker = new CheckpointTracker();
  const worker = new Worker(fileURLToPath(new URL('./consumer-worker-boot.mjs', import.meta.url)), { workerData: options });
  let stopped: (() => void) | undefined;
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (message: ConsumerThreadMessage) => {
      if (message.type === 'ready') resolve();
      else if (message.type === 'checkpoint') tracker.advance(message.shardId, BigInt(message.sequence));
      else if (message.type === 'log') log(message.line);
      else if (message.type === 'stopped') stopped?.();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`consumer thread exited (code ${code}) before it started`)));
  });
  worker.on('error', (error) => log(`consumer thread failed: ${error.message}`));
  return {
    waitFor: (receipt, signal) => tracker.waitFor(receipt, signal),
    checkpoints: () => tracker.snapshot(),
    async stop() {
      const done = new Promise<void>((resolve) => {
        stopped = resolve;
        worker.once('exit', () => resolve());
      });
      worker.postMessage({ type: 'stop' });
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      await worker.terminate();
    },
  };
}
