/**
 * Names shared by the operations functions and the CDK constructs that deploy and
 * watch them. Kept apart from the handlers so synthesising the app loads no SDK client.
 */

/** The metric the nightly-upload check publishes (namespace METRICS_NAMESPACE, dimension `service`). */
export const MISSING_UPLOADS_METRIC = 'BranchesMissingUpload';

/** Powertools service name (and metric dimension) of the nightly-upload check. */
export const MISSING_UPLOADS_SERVICE = 'missing-uploads';

/** Powertools service name (and metric dimension) of the warehouse loader. */
export const LOADER_SERVICE = 'warehouse-load';

/** What the loader publishes each run (namespace METRICS_NAMESPACE, dimension `service`). */
export const LOADER_METRIC = {
  FilesLoaded: 'WarehouseFilesLoaded',
  /** Files Redshift refused this run, parked under `errors/`. */
  FilesParked: 'WarehouseFilesParked',
  /** Parked files not yet re-driven: the alarm stays on while any is waiting. */
  FilesWaitingRedrive: 'WarehouseFilesWaitingRedrive',
  FilesDeferred: 'WarehouseFilesDeferred',
  /** Seconds from the oldest merged sale's `loaded_at` to its `merged_at`, per run that merged sales. */
  MergeLagSeconds: 'WarehouseMergeLagSeconds',
  /** 1 per run that finished (idle runs included): none for a while means the loader is not running or keeps failing. */
  RunsCompleted: 'WarehouseLoadRunsCompleted',
} as const;

/** Powertools service name (and metric dimension) of the warehouse reconciliation. */
export const RECONCILE_SERVICE = 'warehouse-reconcile';

/** The reconciliation publishes one count per check under this metric, with a `check` dimension. */
export const RECONCILE_METRIC = 'WarehouseReconciliationFaults';

/**
 * The Grafana version the managed workspace runs: the dashboards are built for
 * Grafana 12 (@grafana/grafana-foundation-sdk, schema of Grafana 12). CloudFormation
 * takes any string here and the service checks it against `grafana:ListVersions`;
 * `infra/aws/scripts/preflight.ts` asks the Region before a deploy.
 */
export const GRAFANA_VERSION = '12.4';

/** The sign-in methods the dashboards stack offers (context `supercafe:grafanaAuthentication`). */
export const GrafanaSignIn = { IdentityCenter: 'AWS_SSO', Saml: 'SAML' } as const;
export type GrafanaSignIn = (typeof GrafanaSignIn)[keyof typeof GrafanaSignIn];
