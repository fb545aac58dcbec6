import { z } from 'zod';

/**
 * A handler's configuration, read from its environment once at start (module
 * load) and validated with zod, so a function deployed without a variable fails at
 * its first cold start with a message naming what is missing, instead of running
 * with an empty string until some call fails far from the cause.
 */

/** The configuration is missing or malformed; the message names each variable at fault, never its value. */
export class ConfigurationError extends Error {
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`${service}: invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigurationError';
  }
}

/** A variable that must be set to text matching `pattern`; `expected` says what that is, for the message. */
export function environmentValue(pattern: RegExp, expected: string) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'is not set' : 'is not text') })
    .min(1, { error: 'is set but empty', abort: true })
    .regex(pattern, { error: `is not ${expected}` });
}

/** Kinesis stream names: 1–128 of `a-zA-Z0-9_.-`. */
export const KinesisStreamName = environmentValue(/^[a-zA-Z0-9_.-]{1,128}$/, 'a Kinesis stream name');
/** Firehose delivery stream names: 1–64 of `a-zA-Z0-9_.-`. */
export const DeliveryStreamName = environmentValue(/^[a-zA-Z0-9_.-]{1,64}$/, 'a Firehose delivery stream name');
/** DynamoDB table names: 3–255 of `a-zA-Z0-9_.-`. */
export const DynamoTableName = environmentValue(/^[a-zA-Z0-9_.-]{3,255}$/, 'a DynamoDB table name');
/** An S3 key prefix naming a folder: no spaces, ending in `/` (`uploads/`). */
export const S3FolderPrefix = environmentValue(/^\S*\/$/, 'an S3 folder prefix ending in /');
/** A Secrets Manager secret ARN (any partition). */
export const SecretArn = environmentValue(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[^\s]+$/, 'a Secrets Manager secret ARN');

/**
 * Parses the environment with `schema` (an object of variable names). Throws a
 * ConfigurationError naming every variable missing or malformed, e.g.
 * `sales-transform: invalid configuration: SALES_DELIVERY_STREAM is not set`.
 */
export function readEnvironment<S extends z.ZodObject>(service: string, schema: S, environment: Readonly<Record<string, string | undefined>>): z.output<S> {
  const parsed = schema.safeParse(environment);
  if (parsed.success) return parsed.data;
  throw new ConfigurationError(
    service,
    parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`),
  );
}
