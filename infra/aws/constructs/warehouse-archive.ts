import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Bucket, StorageClass, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { MANIFEST_PREFIX, PARKED_PREFIX } from '../warehouse/warehouse-sql.js';
import { privateBucketProps } from './private-bucket-props.js';

/** How long the loader looks back for files it has not loaded (days): it lists this many day folders. */
export const DEFAULT_LOAD_LOOKBACK_DAYS = 7;
/** Days a parked file's marker (under `errors/`) is kept: the alarm stays on until it is re-driven or expires. */
export const DEFAULT_PARKED_RETENTION_DAYS = 90;
/** Days before clean rows move to Glacier Instant Retrieval (still readable by COPY, for a rebuild). */
export const DEFAULT_ROWS_COLD_AFTER_DAYS = 90;
/** Manifests only matter while their run is read back; kept two weeks for inspection. */
export const MANIFEST_RETENTION_DAYS = 14;

export interface WarehouseArchiveProps {
  readonly accessLogsBucket: IBucket;
  /** The warehouse key (clean data, no personal data). */
  readonly encryptionKey: IKey;
  readonly rowsColdAfterDays?: number;
  /** Delete clean rows after this many days; kept for ever when omitted (they are the rebuild source). */
  readonly rowsRetentionDays?: number;
  readonly parkedRetentionDays?: number;
  readonly lookbackDays?: number;
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The warehouse bucket: where Firehose writes every clean row (`rows/<table>/`),
 * which the loader COPYs into Redshift and a rebuild replays; the loader's
 * manifests (`manifests/`), its state (`state/`), and the files Redshift refused
 * (`errors/<file>.json` markers, for the re-drive script). Expiry periods are made
 * to match: a parked file's rows outlive its marker, so a re-drive always finds
 * them (a rows retention shorter than the parked retention plus the lookback fails
 * at synth). No personal data: the consumer redacts before Firehose.
 */
export class WarehouseArchive extends Construct {
  readonly bucket: Bucket;
  readonly parkedRetentionDays: number;
  readonly lookbackDays: number;
  readonly rowsRetentionDays: number | undefined;

  constructor(scope: Construct, id: string, props: WarehouseArchiveProps) {
    super(scope, id);
    const days = (name: string, value: number, low: number, high: number) => {
      if (!Number.isInteger(value) || value < low || value > high) throw new Error(`${id}: ${name} must be a whole number of days from ${low} to ${high}, got ${value}`);
      return value;
    };
    this.lookbackDays = days('lookbackDays', props.lookbackDays ?? DEFAULT_LOAD_LOOKBACK_DAYS, 1, 30);
    this.parkedRetentionDays = days('parkedRetentionDays', props.parkedRetentionDays ?? DEFAULT_PARKED_RETENTION_DAYS, 7, 3650);
    const coldAfter = days('rowsColdAfterDays', props.rowsColdAfterDays ?? DEFAULT_ROWS_COLD_AFTER_DAYS, 30, 3650);
    this.rowsRetentionDays = props.rowsRetentionDays === undefined ? undefined : days('rowsRetentionDays', props.rowsRetentionDays, 1, 36500);
    if (this.rowsRetentionDays !== undefined && this.rowsRetentionDays < this.parkedRetentionDays + this.lookbackDays) {
      throw new Error(
        `${id}: rowsRetentionDays (${this.rowsRetentionDays}) must be at least parkedRetentionDays + lookbackDays (${this.parkedRetentionDays + this.lookbackDays}), or a parked file's rows would expire before it can be re-driven`,
      );
    }

    this.bucket = new Bucket(this, 'Bucket', {
      ...privateBucketProps(props.encryptionKey, props.accessLogsBucket),
      serverAccessLogsPrefix: 'warehouse/',
      versioned: true,
      lifecycleRules: [
        {
          id: 'ColdRows',
          prefix: 'rows/',
          transitions: [{ storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(coldAfter) }],
          expiration: this.rowsRetentionDays === undefined ? undefined : Duration.days(this.rowsRetentionDays),
        },
        { id: 'ExpireParkedMarkers', prefix: PARKED_PREFIX, expiration: Duration.days(this.parkedRetentionDays) },
        { id: 'ExpireManifests', prefix: MANIFEST_PREFIX, expiration: Duration.days(MANIFEST_RETENTION_DAYS) },
        { id: 'ExpireDeliveryErrors', prefix: 'delivery-errors/', expiration: Duration.days(this.parkedRetentionDays) },
        { id: 'OldVersionsAndUploads', noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
  }
}
