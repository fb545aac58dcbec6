import { pathToFileURL } from 'node:url';
import { replayStatements } from '../warehouse/warehouse-sql.js';

/**
 * Prints the SQL that rebuilds the Redshift warehouse from the Firehose archive, as
 * JSON ready for `aws redshift-data batch-execute-statement --sqls` (docs/aws.md,
 * "Replay"). The statements run as one transaction: the final tables are emptied,
 * every archived row is COPYed into staging, and the usual merge deduplicates.
 *
 *   npx tsx infra/aws/scripts/replay-sql.ts <ArchiveBucketName>
 */
export function replayCommandInput(archiveBucket: string): string {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(archiveBucket)) throw new Error(`not a bucket name: ${archiveBucket}`);
  return JSON.stringify(replayStatements(archiveBucket));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const bucket = process.argv[2];
  if (!bucket) {
    console.error('usage: npx tsx infra/aws/scripts/replay-sql.ts <ArchiveBucketName>');
    process.exitCode = 2;
  } else {
    console.log(replayCommandInput(bucket));
  }
}
