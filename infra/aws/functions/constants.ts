/**
 * Names shared by the operations functions and the CDK constructs that deploy and
 * watch them. Kept apart from the handlers so synthesising the app loads no SDK client.
 */

/** The metric the nightly-upload check publishes (namespace METRICS_NAMESPACE, dimension `service`). */
export const MISSING_UPLOADS_METRIC = 'BranchesMissingUpload';

/** Powertools service name (and metric dimension) of the nightly-upload check. */
export const MISSING_UPLOADS_SERVICE = 'missing-uploads';
