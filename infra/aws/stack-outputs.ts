/**
 * Output keys of the pipeline stack. The Grafana provisioning script reads the
 * deployed stack's outputs by these names, so they live apart from the CDK code.
 */
export const StackOutput = {
  RawBucketName: 'RawBucketName',
  UploadPrefix: 'UploadPrefix',
  UploaderPolicyArn: 'UploaderPolicyArn',
  StreamName: 'StreamName',
  TillApiUrl: 'TillApiUrl',
  TillCredentialsTable: 'TillCredentialsTable',
  WorkgroupName: 'WorkgroupName',
  WorkgroupEndpoint: 'WorkgroupEndpoint',
  DatabaseName: 'DatabaseName',
  AdminSecretArn: 'AdminSecretArn',
  PepperSecretArn: 'PepperSecretArn',
  ArchiveBucketName: 'ArchiveBucketName',
  GrafanaWorkspaceId: 'GrafanaWorkspaceId',
  GrafanaEndpoint: 'GrafanaEndpoint',
  AlarmTopicArn: 'AlarmTopicArn',
  DashboardName: 'DashboardName',
} as const;

export type StackOutput = (typeof StackOutput)[keyof typeof StackOutput];
