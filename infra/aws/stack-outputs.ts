/**
 * Output keys of the three stacks. The operations scripts (Grafana provisioning,
 * re-drive, replay) read the deployed stacks' outputs by these names, so they live
 * apart from the CDK code.
 */
export const StackOutput = {
  // Data stack.
  RawBucketName: 'RawBucketName',
  UploadPrefix: 'UploadPrefix',
  UploaderPolicyArn: 'UploaderPolicyArn',
  StreamName: 'StreamName',
  RawArchiveBucketName: 'RawArchiveBucketName',
  RawReplayRoleArn: 'RawReplayRoleArn',
  ErasureRoleArn: 'ErasureRoleArn',
  TillCredentialsTable: 'TillCredentialsTable',
  TillOperatorPolicyArn: 'TillOperatorPolicyArn',
  TillIdempotencyTable: 'TillIdempotencyTable',
  WorkgroupName: 'WorkgroupName',
  DatabaseName: 'DatabaseName',
  AdminSecretArn: 'AdminSecretArn',
  PepperSecretArn: 'PepperSecretArn',
  WarehouseBucketName: 'WarehouseBucketName',
  // Pipeline stack.
  TillApiUrl: 'TillApiUrl',
  SchemaVersion: 'SchemaVersion',
  AlarmTopicArn: 'AlarmTopicArn',
  DashboardName: 'DashboardName',
  ConsumerFunctionName: 'ConsumerFunctionName',
  ConsumerDeadLetterQueueName: 'ConsumerDeadLetterQueueName',
  // Dashboards stack (it repeats the warehouse's names, so provisioning reads one stack).
  GrafanaWorkspaceId: 'GrafanaWorkspaceId',
  GrafanaEndpoint: 'GrafanaEndpoint',
} as const;

export type StackOutput = (typeof StackOutput)[keyof typeof StackOutput];

/** Which stack carries which outputs. */
export const DATA_STACK_OUTPUTS = [
  StackOutput.RawBucketName,
  StackOutput.UploadPrefix,
  StackOutput.UploaderPolicyArn,
  StackOutput.StreamName,
  StackOutput.RawArchiveBucketName,
  StackOutput.RawReplayRoleArn,
  StackOutput.ErasureRoleArn,
  StackOutput.TillCredentialsTable,
  StackOutput.TillOperatorPolicyArn,
  StackOutput.TillIdempotencyTable,
  StackOutput.WorkgroupName,
  StackOutput.DatabaseName,
  StackOutput.AdminSecretArn,
  StackOutput.PepperSecretArn,
  StackOutput.WarehouseBucketName,
] as const;
export const PIPELINE_STACK_OUTPUTS = [
  StackOutput.TillApiUrl,
  StackOutput.SchemaVersion,
  StackOutput.AlarmTopicArn,
  StackOutput.DashboardName,
  StackOutput.ConsumerFunctionName,
  StackOutput.ConsumerDeadLetterQueueName,
] as const;
export const DASHBOARDS_STACK_OUTPUTS = [StackOutput.GrafanaWorkspaceId, StackOutput.GrafanaEndpoint, StackOutput.WorkgroupName, StackOutput.DatabaseName] as const;
