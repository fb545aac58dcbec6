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
});
