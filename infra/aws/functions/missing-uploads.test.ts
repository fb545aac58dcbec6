import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { branchOfKey, checkUploads, findMissingUploads, parseBranchList } from './missing-uploads.js';

const now = new Date('2026-11-25T23:00:00Z');
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);

describe('Function: branchOfKey', () => {
  it.each([
    ['uploads/leeds/leeds_27-08-2021_09-00-00.csv', 'leeds'],
    ['uploads/london-soho/2026/11/25.csv', 'london-soho'],
    ['uploads/stray.csv', undefined],
    ['uploads/leeds/', undefined],
    ['elsewhere/leeds/file.csv', undefined],
  ])('reads %s as branch %s', (key, branch) => {
    // Act
    const found = branchOfKey(key, 'uploads/');

    // Assess
    expect(found).toBe(branch);
  });
});

describe('Function: findMissingUploads', () => {
  const objects = [
    { key: 'uploads/leeds/a.csv', lastModified: hoursAgo(2) },
    { key: 'uploads/leeds/b.csv', lastModified: hoursAgo(30) },
    { key: 'uploads/birmingham/a.csv', lastModified: hoursAgo(26) },
    { key: 'uploads/uppingham/a.csv', lastModified: hoursAgo(24 * 20) },
  ];

  it('expects the branches seen within the lookback when no list is configured', () => {
    // Act
    const result = findMissingUploads({ objects, expectedBranches: [], now, windowHours: 24, lookbackDays: 7, prefix: 'uploads/' });

    // Assess
    expect(result).toEqual({ expected: ['birmingham', 'leeds'], missing: ['birmingham'] });
  });

  it('checks every configured branch, including one that never uploaded', () => {
    // Act
    const result = findMissingUploads({
      objects,
      expectedBranches: ['leeds', 'chesterfield', 'uppingham'],
      now,
      windowHours: 24,
      lookbackDays: 7,
      prefix: 'uploads/',
    });

    // Assess
    expect(result).toEqual({ expected: ['chesterfield', 'leeds', 'uppingham'], missing: ['chesterfield', 'uppingham'] });
  });
});

describe('Function: parseBranchList', () => {
  it('splits a StringList value and drops blanks', () => {
    // Act
    const branches = parseBranchList(' leeds, birmingham,,london-soho ');

    // Assess
    expect(branches).toEqual(['leeds', 'birmingham', 'london-soho']);
  });
});

describe('Function: checkUploads', () => {
  const s3 = mockClient(S3Client);
  const ssm = mockClient(SSMClient);
  const sns = mockClient(SNSClient);

  beforeEach(() => {
    s3.reset();
    ssm.reset();
    sns.reset();
  });

  it('lists every page, reads the configured list and names the missing branches to the topic', async () => {
    // Prepare
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: 'uploads/leeds/a.csv', LastModified: hoursAgo(1) }], IsTruncated: true, NextContinuationToken: 'next' })
      .resolvesOnce({ Contents: [{ Key: 'uploads/birmingham/a.csv', LastModified: hoursAgo(48) }], IsTruncated: false });
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'leeds,birmingham' } });
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });

    // Act
    const result = await checkUploads({
      s3: new S3Client({}),
      ssm: new SSMClient({}),
      sns: new SNSClient({}),
      env: { BUCKET_NAME: 'raw', EXPECTED_BRANCHES_PARAMETER: '/supercafe/expected-branches', ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-2:111111111111:alarms' },
      now: () => now,
    });

    // Assess
    expect(result.missing).toEqual(['birmingham']);
    expect(s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input.ContinuationToken)).toEqual([undefined, 'next']);
    const message = sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '';
    expect(message).toContain('- birmingham');
    expect(message).not.toContain('- leeds');
  });

  it('stays quiet when every branch has uploaded', async () => {
    // Prepare
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'uploads/leeds/a.csv', LastModified: hoursAgo(1) }] });

    // Act
    const result = await checkUploads({
      s3: new S3Client({}),
      ssm: new SSMClient({}),
      sns: new SNSClient({}),
      env: { BUCKET_NAME: 'raw', ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-2:111111111111:alarms' },
      now: () => now,
    });

    // Assess
    expect(result).toEqual({ expected: ['leeds'], missing: [] });
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });
});
