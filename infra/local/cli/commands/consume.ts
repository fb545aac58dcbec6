import { CliError, ExitStatus } from '../exit-status.js';
import { onStopSignal, openStack, type CliContext } from '../context.js';

/** `supercafe consume`: the consumer alone, polling `--kinesis-endpoint` until stopped (0 on SIGTERM, 130 on Ctrl-C). */
export async function consume(context: CliContext): Promise<ExitStatus> {
  if (!context.kinesisEndpoint) throw new CliError('consume needs --kinesis-endpoint (the stream to read)');
  const stack = await openStack(context, { consumer: 'in-process' });
  console.log(`consuming ${stack.stream.streamName} at ${stack.stream.endpoint}`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => onStopSignal(resolve));
  await stack.stop().catch((error: unknown) => console.error(`stopped, with an error: ${error instanceof Error ? error.message : String(error)}`));
  return signal === 'SIGINT' ? ExitStatus.Interrupted : ExitStatus.Ok;
}
