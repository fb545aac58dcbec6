import { PutRecordsCommand, type KinesisClient, type PutRecordsCommandInput, type PutRecordsCommandOutput } from '@aws-sdk/client-kinesis';

export interface KinesisFaults {
  /** Entries failed with ProvisionedThroughputExceededException (never written). */
  readonly entriesFailed: number;
  /** Whole PutRecords calls throttled. */
  readonly callsThrottled: number;
  remove(): void;
}

/**
 * Injects Kinesis throttling into a real client talking to kinesalite: a share of
 * the entries of each PutRecords call are held back from the stream and reported
 * as ProvisionedThroughputExceededException at their positions, as Kinesis does,
 * and a share of calls fail whole. Seeded, so a run is repeatable.
 */
export function injectKinesisFaults(client: KinesisClient, options: { entryFailureRate: number; callThrottleRate: number; seed?: number }): KinesisFaults {
  let state = options.seed ?? 42;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const counts = { entriesFailed: 0, callsThrottled: 0 };
  const name = `fault-injection-${Math.random()}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== PutRecordsCommand.name) return next(args);
      if (random() < options.callThrottleRate) {
        counts.callsThrottled++;
        throw Object.assign(new Error('Rate exceeded for stream (injected)'), { name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } });
      }
      const input = args.input as PutRecordsCommandInput;
      const all = input.Records ?? [];
      const failing = all.map(() => random() < options.entryFailureRate);
      if (failing.every(Boolean)) failing[0] = false;
      const result = await next({ ...args, input: { ...input, Records: all.filter((_, index) => !failing[index]) } });
      const output = result.output as PutRecordsCommandOutput;
      const passed = [...(output.Records ?? [])];
      const merged = failing.map((failed) =>
        failed ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard (injected)' } : passed.shift() ?? {},
      );
      const failed = failing.filter(Boolean).length;
      counts.entriesFailed += failed;
      return { ...result, output: { ...output, Records: merged, FailedRecordCount: (output.FailedRecordCount ?? 0) + failed } };
    },
    { step: 'initialize', name },
  );
  return {
    get entriesFailed() {
      return counts.entriesFailed;
    },
    get callsThrottled() {
      return counts.callsThrottled;
    },
    remove: () => client.middlewareStack.remove(name),
  };
}
