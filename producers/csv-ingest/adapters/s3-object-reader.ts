import { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ProducerError } from '../../shared/errors.js';
import type { ObjectReader } from '../../shared/ports.js';

/** Why an object could not be opened: stable codes for logs and metrics. */
export const ObjectReadFailure = {
  NotFound: 'not_found',
  AccessDenied: 'access_denied',
  Unreadable: 'unreadable',
} as const;

export type ObjectReadFailure = (typeof ObjectReadFailure)[keyof typeof ObjectReadFailure];

/** An uploaded object could not be opened. Names the object, never its content. */
export class ObjectReadError extends ProducerError {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly failure: ObjectReadFailure,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`s3://${bucket}/${key}: ${detail}`, options);
    this.name = 'ObjectReadError';
  }
}

export interface S3ObjectReaderOptions {
  readonly client: S3Client;
  readonly bucket: string;
}

function classify(error: unknown): { failure: ObjectReadFailure; detail: string } {
  const named = (error ?? {}) as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  const code = named.name ?? named.Code ?? 'Error';
  const status = named.$metadata?.httpStatusCode;
  if (code === 'NoSuchKey' || code === 'NotFound' || status === 404) {
    return { failure: ObjectReadFailure.NotFound, detail: 'object not found (deleted, expired, or the key is not URL-decoded)' };
  }
  if (code === 'AccessDenied' || code.startsWith('KMS.') || status === 403) {
    return { failure: ObjectReadFailure.AccessDenied, detail: `access denied (${code}): check the function's s3:GetObject and kms:Decrypt grants` };
  }
  return { failure: ObjectReadFailure.Unreadable, detail: `could not be read (${code})` };
}

/**
 * Reads uploads from the raw S3 bucket. `open` resolves to the object body as a
 * Node stream, so csv-parse reads it as it arrives and a large file never sits in
 * memory. Keys are the decoded object keys (S3 events URL-encode them).
 */
export function createS3ObjectReader(options: S3ObjectReaderOptions): ObjectReader {
  const { client, bucket } = options;
  return {
    async open(key) {
      let body: unknown;
      try {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        body = response.Body;
      } catch (error) {
        const { failure, detail } = classify(error);
        throw new ObjectReadError(bucket, key, failure, detail, { cause: error });
      }
      // In Node the SDK returns an IncomingMessage, already a Readable.
      if (body instanceof Readable) return body;
      throw new ObjectReadError(bucket, key, ObjectReadFailure.Unreadable, 'the response has no readable body');
    },
  };
}
