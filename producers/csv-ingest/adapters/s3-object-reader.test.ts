import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { GetObjectCommand, NoSuchKey, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ObjectReadError, createS3ObjectReader } from './s3-object-reader.js';

const s3 = mockClient(S3Client);
const bucket = 'supercafe-raw';
const key = 'uploads/leeds/leeds_27-08-2021_09-00-00.csv';

describe('Function: createS3ObjectReader', () => {
  beforeEach(() => {
    s3.reset();
  });

  it('opens the object body as a Node stream', async () => {
    // Prepare
    const csv = '27/08/2021 09:03,Leeds,A Name,Regular Filter coffee - 1.50,1.5,CASH,\n';
    s3.on(GetObjectCommand, { Bucket: bucket, Key: key }).resolves({ Body: Readable.from([Buffer.from(csv)]) as never });
    const reader = createS3ObjectReader({ client: new S3Client({}), bucket });

    // Act
    const stream = await reader.open(key);

    // Assess
    expect(stream).toBeInstanceOf(Readable);
    expect(await text(stream)).toBe(csv);
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({ Bucket: bucket, Key: key });
  });

  it('names the object when it is missing', async () => {
    // Prepare
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } }));
    const reader = createS3ObjectReader({ client: new S3Client({}), bucket });

    // Act
    const outcome = reader.open(key);

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(ObjectReadError);
    await expect(outcome).rejects.toMatchObject({ failure: 'not_found', bucket, key, message: expect.stringContaining(`s3://${bucket}/${key}`) });
  });

  it('says access was denied, keeping the cause', async () => {
    // Prepare
    const denied = new S3ServiceException({ name: 'AccessDenied', $fault: 'client', message: 'Access Denied', $metadata: { httpStatusCode: 403 } });
    s3.on(GetObjectCommand).rejects(denied);
    const reader = createS3ObjectReader({ client: new S3Client({}), bucket });

    // Act
    const error = await reader.open(key).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ObjectReadError);
    expect(error).toMatchObject({ failure: 'access_denied', cause: denied });
    expect((error as Error).message).toContain('access denied');
  });

  it('reports other failures as unreadable', async () => {
    // Prepare
    s3.on(GetObjectCommand).rejects(new S3ServiceException({ name: 'InternalError', $fault: 'server', message: 'We encountered an internal error.', $metadata: { httpStatusCode: 500 } }));
    const reader = createS3ObjectReader({ client: new S3Client({}), bucket });

    // Act
    const outcome = reader.open(key);

    // Assess
    await expect(outcome).rejects.toMatchObject({ failure: 'unreadable', message: expect.stringContaining('InternalError') });
  });

  it('refuses a response without a body', async () => {
    // Prepare
    s3.on(GetObjectCommand).resolves({});
    const reader = createS3ObjectReader({ client: new S3Client({}), bucket });

    // Act
    const outcome = reader.open(key);

    // Assess
    await expect(outcome).rejects.toMatchObject({ failure: 'unreadable' });
  });

  it.each([
    ['NoSuchKey', { name: 'NoSuchKey' }, 'not_found', 'object not found (deleted, expired, or the key is not URL-decoded)'],
    ['NotFound (a HEAD-style error)', { name: 'NotFound' }, 'not_found', 'object not found (deleted, expired, or the key is not URL-decoded)'],
    ['any error with status 404', { name: 'Weird', $metadata: { httpStatusCode: 404 } }, 'not_found', 'object not found (deleted, expired, or the key is not URL-decoded)'],
    ['a bare Code NoSuchKey', { Code: 'NoSuchKey' }, 'not_found', 'object not found (deleted, expired, or the key is not URL-decoded)'],
    ['AccessDenied', { name: 'AccessDenied' }, 'access_denied', "access denied (AccessDenied): check the function's s3:GetObject and kms:Decrypt grants"],
    ['a KMS error', { name: 'KMS.DisabledException' }, 'access_denied', "access denied (KMS.DisabledException): check the function's s3:GetObject and kms:Decrypt grants"],
    ['any error with status 403', { name: 'Forbidden', $metadata: { httpStatusCode: 403 } }, 'access_denied', "access denied (Forbidden): check the function's s3:GetObject and kms:Decrypt grants"],
    ['a bare Code AccessDenied', { Code: 'AccessDenied' }, 'access_denied', "access denied (AccessDenied): check the function's s3:GetObject and kms:Decrypt grants"],
    ['an error with status 500', { name: 'InternalError', $metadata: { httpStatusCode: 500 } }, 'unreadable', 'could not be read (InternalError)'],
    ['an error with a bare Code', { Code: 'SlowDown' }, 'unreadable', 'could not be read (SlowDown)'],
    ['an error with no name or code', {}, 'unreadable', 'could not be read (Error)'],
    ['a rejection with nothing', undefined, 'unreadable', 'could not be read (Error)'],
    ['a name containing KMS. later', { name: 'NotKMS.Thing' }, 'unreadable', 'could not be read (NotKMS.Thing)'],
  ])('classifies %s', async (_name, rejection, failure, detail) => {
    // Prepare: a plain object as the rejection, the shapes the SDK and its middleware throw.
    s3.on(GetObjectCommand).callsFake(() => Promise.reject(rejection));
    const reader = createS3ObjectReader({ client: new S3Client({}), bucket });
    // Act
    const error = await reader.open(key).catch((caught: unknown) => caught);
    // Assess
    expect(error).toMatchObject({ name: 'ObjectReadError', failure, bucket, key, message: `s3://${bucket}/${key}: ${detail}`, cause: rejection });
  });

  it('refuses a body that is not a Node stream, naming the object', async () => {
    s3.on(GetObjectCommand).resolves({ Body: 'text' as never });
    const error = await createS3ObjectReader({ client: new S3Client({}), bucket }).open(key).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'ObjectReadError', failure: 'unreadable', message: `s3://${bucket}/${key}: the response has no readable body` });
  });
});
