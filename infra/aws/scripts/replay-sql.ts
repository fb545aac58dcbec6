import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import { recordedErasures } from '../erasure/aws-erasure.js';
import { rebuildStatements, type ErasedKey } from '../warehouse/warehouse-sql.js';

/**
 * Prints the SQL that rebuilds the Redshift warehouse from every clean row Firehose
 * delivered (`rows/` of the warehouse bucket), as JSON ready for
 * `aws redshift-data batch-execute-statement --sqls` (docs/aws.md, "Rebuild from
 * the clean rows"). The statements run as one transaction: the final tables are
 * emptied, every row is COPYed into staging, the usual merge deduplicates, and
 * every erasure recorded under `erasures/` is honoured (with `--region`, the
 * script reads them from the bucket; the rows themselves were scrubbed when each
 * erasure ran, so this covers only what came back since).
 *
 *   npx tsx infra/aws/scripts/replay-sql.ts <WarehouseBucketName> [--region eu-west-2]
 */
export function replayCommandInput(warehouseBucket: string, erasures: readonly ErasedKey[] = []): string {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(warehouseBucket)) throw new Error(`not a bucket name: ${warehouseBucket}`);
  return JSON.stringify(rebuildStatements(warehouseBucket, undefined, erasures));
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { region: { type: 'string' } } });
  const bucket = positionals[0];
  if (!bucket) {
    console.error('usage: npx tsx infra/aws/scripts/replay-sql.ts <WarehouseBucketName> [--region eu-west-2]');
    process.exitCode = 2;
    return;
  }
  const erasures = values.region ? await recordedErasures(new S3Client({ region: values.region }), bucket) : [];
  if (!values.region) console.error('note: without --region the erasures recorded in the bucket are not read; pass it unless there are none');
  console.log(replayCommandInput(bucket, erasures));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
