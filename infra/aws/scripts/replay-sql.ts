import { pathToFileURL } from 'node:url';
import { rebuildStatements } from '../warehouse/warehouse-sql.js';

/**
 * Prints the SQL that rebuilds the Redshift warehouse from every clean row Firehose
 * delivered (`rows/` of the warehouse bucket), as JSON ready for
 * `aws redshift-data batch-execute-statement --sqls` (docs/aws.md, "Rebuild from
 * the clean rows"). The statements run as one transaction: the final tables are
 * emptied, every row is COPYed into staging, and the usual merge deduplicates.
 *
 *   npx tsx infra/aws/scripts/replay-sql.ts <WarehouseBucketName>
 */
export function replayCommandInput(warehouseBucket: string): string {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(warehouseBucket)) throw new Error(`not a bucket name: ${warehouseBucket}`);
  return JSON.stringify(rebuildStatements(warehouseBucket));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const bucket = process.argv[2];
  if (!bucket) {
    console.error('usage: npx tsx infra/aws/scripts/replay-sql.ts <WarehouseBucketName>');
    process.exitCode = 2;
  } else {
    console.log(replayCommandInput(bucket));
  }
}
