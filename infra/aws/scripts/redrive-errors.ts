import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { WarehouseTables } from '../../../contracts/index.js';
import { StackOutput } from '../stack-outputs.js';
import { fileOfMarker, tableOfKey } from '../warehouse/load-plan.js';
import { PARKED_PREFIX, rowsPrefix } from '../warehouse/warehouse-sql.js';
import { readOutputs } from './stack-outputs.js';

/**
 * Re-drives the files Redshift refused (docs/aws.md, "Re-drive"). The loader parks
 * a refused file by writing `errors/<file>.json`; once the cause is fixed (a
 * migration deployed, a bad file corrected) this script copies each parked file
 * to a new key in the current hour's folder of its table, which the next load run
 * picks up as new, and removes the marker. The original stays where it was (it
 * is part of the rebuild source; a merge on the table's key makes the copy
 * harmless there). Markers expire after the parked retention, while the rows they
 * point at are kept longer (the expiry periods are checked at synth).
 *
 *   npx tsx infra/aws/scripts/redrive-errors.ts --stack SuperCafeData [--table sales] [--dry-run]
 */

/** One parked file and where its re-drive copy goes. */
export interface Redrive {
  readonly marker: string;
  readonly file: string;
  readonly to: string;
}

/** The re-drives for these marker keys: each file to `rows/<table>/<now's UTC hour>/redrive-<name>`; markers of other tables (or of nothing) are left. */
export function redrivePlan(markerKeys: readonly string[], now: Date, table?: string): Redrive[] {
  const hour = now.toISOString().slice(0, 13).replace(/[-T]/g, '/');
  return markerKeys.flatMap((marker) => {
    const file = fileOfMarker(marker);
    const key = file === undefined ? undefined : tableOfKey(file);
    if (file === undefined || key === undefined) return [];
    const definition = WarehouseTables[key];
    if (table !== undefined && definition.name !== table) return [];
    const name = file.slice(file.lastIndexOf('/') + 1);
    return [{ marker, file, to: `${rowsPrefix(definition)}${hour}/redrive-${name}` }];
  });
}

async function listMarkers(s3: S3Client, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: PARKED_PREFIX, ContinuationToken: token }));
    for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

export interface RedriveOptions {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly now: Date;
  readonly table?: string;
  readonly dryRun?: boolean;
  readonly log?: (line: string) => void;
}

/** Lists the parked files, re-drives each (copy, then remove the marker) and returns what it did. */
export async function redriveParkedFiles(options: RedriveOptions): Promise<Redrive[]> {
  const { s3, bucket } = options;
  const plan = redrivePlan(await listMarkers(s3, bucket), options.now, options.table);
  for (const redrive of plan) {
    if (!options.dryRun) {
      await s3.send(new CopyObjectCommand({ Bucket: bucket, CopySource: `${bucket}/${encodeURIComponent(redrive.file).replace(/%2F/g, '/')}`, Key: redrive.to }));
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: redrive.marker }));
    }
    options.log?.(`${options.dryRun ? 'would re-drive' : 're-drove'} ${redrive.file} -> ${redrive.to}`);
  }
  return plan;
}

/** The reason a parked file was refused, as the loader wrote it (for `--show`). */
export async function parkedReason(s3: S3Client, bucket: string, marker: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: marker }));
  const body = JSON.parse((await object.Body?.transformToString()) ?? '{}') as { error?: string; parkedAt?: string };
  return `${body.parkedAt ?? '?'}: ${body.error ?? 'no reason recorded'}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      stack: { type: 'string', default: 'SuperCafeData' },
      region: { type: 'string' },
      table: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      show: { type: 'boolean', default: false },
    },
  });
  const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('set --region or AWS_REGION');
  const { [StackOutput.WarehouseBucketName]: bucket } = await readOutputs(new CloudFormationClient({ region }), values.stack, [StackOutput.WarehouseBucketName]);
  const s3 = new S3Client({ region });
  if (values.show) {
    for (const marker of await listMarkers(s3, bucket)) console.log(`${fileOfMarker(marker) ?? marker}  ${await parkedReason(s3, bucket, marker)}`);
    return;
  }
  const done = await redriveParkedFiles({ s3, bucket, now: new Date(), table: values.table, dryRun: values['dry-run'], log: (line) => console.log(line) });
  console.log(`${done.length} parked file(s) ${values['dry-run'] ? 'to re-drive' : 're-driven'}; the next load run takes them`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
