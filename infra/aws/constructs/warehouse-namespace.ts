import { Aws, Fn, RemovalPolicy, Stack, type CfnResource } from 'aws-cdk-lib';
import { FlowLogDestination, FlowLogTrafficType, GatewayVpcEndpointAwsService, IpAddresses, Peer, Port, SecurityGroup, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { AnyPrincipal, CompositePrincipal, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnNamespace, CfnWorkgroup } from 'aws-cdk-lib/aws-redshiftserverless';
import type { Bucket, CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.js';
import { logWithRetention } from './pipeline-function.js';

/** Redshift's port; only SQL clients you list reach the workgroup on it, from inside the VPC's routes. */
export const REDSHIFT_PORT = 5439;
/** The admin user: only the deploy-time schema step signs in as it. */
export const ADMIN_USERNAME = 'supercafe_admin';
/** The audit logs the namespace exports to CloudWatch (connections, user changes). */
export const EXPORTED_LOGS = ['connectionlog', 'userlog'] as const;
/** Redshift Serverless base capacity: 4 RPUs, or a multiple of 8 up to 1024. */
export const BASE_CAPACITY_RULE = '4 or a multiple of 8 from 8 to 1024 RPUs';

export interface WarehouseNamespaceProps {
  /** Starts the namespace and workgroup names (lowercase); the stack's own id completes them. */
  readonly name?: string;
  readonly databaseName?: string;
  /** The warehouse key (clean data: namespace, admin secret, warehouse bucket). */
  readonly encryptionKey: IKey;
  /** The bucket the COPY role reads (the warehouse bucket: rows and manifests). */
  readonly copySource: Bucket;
  /** Where the VPC's rejected flows are logged. */
  readonly flowLogsBucket: IBucket;
  readonly baseCapacity?: number;
  /** Upper bound on RPUs the workgroup may scale to (a cost ceiling). */
  readonly maxCapacity?: number;
  /** CIDRs inside your network (VPN, peering) allowed to reach the workgroup on 5439; none by default. */
  readonly sqlClientCidrs?: readonly string[];
  readonly logRetention?: RetentionDays;
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A name that is new for every stack instance: `<prefix>-<first 8 hex digits of the
 * stack's id>`. A fixed name breaks a first deploy that rolls back (the retained
 * namespace keeps the name, so every retry fails on it); the stack id changes with
 * each new stack, and stays the same across its updates.
 */
export function uniqueName(prefix: string): string {
  return Fn.join('-', [prefix, Fn.select(0, Fn.split('-', Fn.select(2, Fn.split('/', Aws.STACK_ID))))]);
}

/**
 * Redshift Serverless, private: a namespace (KMS, admin password generated into
 * Secrets Manager and passed by dynamic reference) and a workgroup in isolated
 * subnets of a VPC of its own, not publicly accessible, with enhanced VPC routing
 * so its COPY traffic reaches S3 through a gateway endpoint whose policy allows the
 * warehouse bucket alone. Nothing reaches port 5439 but the SQL clients you list;
 * the loader, the schema step, the reconciliation and Grafana all use the Data API.
 * The namespace's one IAM role (the COPY role) may read the warehouse bucket, and
 * the grants let only the loader's database role use it.
 */
export class WarehouseNamespace extends Construct {
  readonly vpc: Vpc;
  readonly securityGroup: SecurityGroup;
  readonly adminSecret: Secret;
  readonly copyRole: Role;
  readonly namespace: CfnNamespace;
  readonly workgroup: CfnWorkgroup;
  readonly databaseName: string;
  readonly namespaceName: string;
  readonly workgroupName: string;
  readonly encryptionKey: IKey;

  constructor(scope: Construct, id: string, props: WarehouseNamespaceProps) {
    super(scope, id);
    const prefix = props.name ?? 'supercafe';
    if (!/^[a-z][a-z0-9-]{2,40}$/.test(prefix)) throw new Error(`${id}: name must be 3–41 lowercase letters, digits or hyphens, got "${prefix}"`);
    this.databaseName = props.databaseName ?? 'supercafe';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.databaseName)) throw new Error(`${id}: databaseName must be a lowercase identifier, got "${this.databaseName}"`);
    const baseCapacity = props.baseCapacity ?? 8;
    if (!(baseCapacity === 4 || (Number.isInteger(baseCapacity) && baseCapacity % 8 === 0 && baseCapacity >= 8 && baseCapacity <= 1024))) {
      throw new Error(`${id}: baseCapacity must be ${BASE_CAPACITY_RULE}, got ${baseCapacity}`);
    }
    if (props.maxCapacity !== undefined && props.maxCapacity < baseCapacity) {
      throw new Error(`${id}: maxCapacity (${props.maxCapacity}) must not be below baseCapacity (${baseCapacity})`);
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;
    this.encryptionKey = props.encryptionKey;

    // ── Network: isolated subnets, no internet route at all ─────────────────
    this.vpc = new Vpc(this, 'Vpc', {
      ipAddresses: IpAddresses.cidr('10.40.0.0/16'),
      // Redshift Serverless needs subnets in three AZs; the AZs resolve at deploy time.
      availabilityZones: [0, 1, 2].map((index) => Fn.select(index, Fn.getAzs())),
      natGateways: 0,
      subnetConfiguration: [{ name: 'Warehouse', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      flowLogs: {
        rejected: { destination: FlowLogDestination.toS3(props.flowLogsBucket, 'vpc-flow-logs/'), trafficType: FlowLogTrafficType.REJECT },
      },
    });
    // The VPC's own helper (it empties the default security group) would keep its logs for ever.
    const restrictDefaultSg = Stack.of(this).node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider')?.node.tryFindChild('Handler');
    if (restrictDefaultSg) logWithRetention(this, 'RestrictDefaultSgLogs', restrictDefaultSg as CfnResource);

    const s3Endpoint = this.vpc.addGatewayEndpoint('S3', { service: GatewayVpcEndpointAwsService.S3 });
    s3Endpoint.addToPolicy(
      new PolicyStatement({
        sid: 'WarehouseBucketOnly',
        principals: [new AnyPrincipal()],
        actions: ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation'],
        resources: [props.copySource.bucketArn, props.copySource.arnForObjects('*')],
      }),
    );

    this.securityGroup = new SecurityGroup(this, 'WorkgroupSecurityGroup', {
      vpc: this.vpc,
      description: 'Redshift Serverless workgroup: listed SQL clients only (the Data API needs no network path)',
      allowAllOutbound: true,
    });
    for (const cidr of props.sqlClientCidrs ?? []) {
      if (cidr.endsWith('/0')) throw new Error(`${id}: sqlClientCidrs must not open Redshift to every address (${cidr})`);
      this.securityGroup.addIngressRule(Peer.ipv4(cidr), Port.tcp(REDSHIFT_PORT), 'SQL client (VPN or peered network)');
    }

    // ── Admin secret: used at deploy time by the schema step, by nobody at run time ──
    this.adminSecret = new Secret(this, 'AdminSecret', {
      description: 'Super Café Redshift Serverless admin (deploy-time schema and migrations only)',
      encryptionKey: props.encryptionKey,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: ADMIN_USERNAME }),
        generateStringKey: 'password',
        passwordLength: 32,
        // Redshift refuses these in passwords.
        excludeCharacters: `"'\\/@ `,
        requireEachIncludedType: true,
      },
      removalPolicy,
    });
    acknowledge(this.adminSecret, {
      id: 'AwsSolutions-SMG4',
      reason: 'The namespace admin password is set from this secret at deploy; rotating it needs a coordinated namespace update (runbook in docs/aws.md), so it is not rotated automatically.',
    });

    // ── The COPY role: read the warehouse bucket, nothing else ─────────────────
    this.copyRole = new Role(this, 'CopyRole', {
      description: 'Redshift namespace role: COPY rows and manifests from the warehouse bucket (loader, rebuild)',
      assumedBy: new CompositePrincipal(new ServicePrincipal('redshift.amazonaws.com'), new ServicePrincipal('redshift-serverless.amazonaws.com')),
    });
    this.copyRole.addToPolicy(new PolicyStatement({ sid: 'ListWarehouseBucket', actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [props.copySource.bucketArn] }));
    this.copyRole.addToPolicy(new PolicyStatement({ sid: 'ReadRowsAndManifests', actions: ['s3:GetObject'], resources: [props.copySource.arnForObjects('rows/*'), props.copySource.arnForObjects('manifests/*')] }));
    this.copyRole.addToPolicy(new PolicyStatement({ sid: 'DecryptRows', actions: ['kms:Decrypt'], resources: [props.encryptionKey.keyArn] }));
    const sourceId = Stack.of(this).getLogicalId(props.copySource.node.defaultChild as CfnBucket);
    for (const prefix of ['rows', 'manifests']) {
      acknowledge(this.copyRole, {
        id: 'AwsSolutions-IAM5',
        finding: `Resource::<${sourceId}.Arn>/${prefix}/*`,
        reason: 'COPY reads the files Firehose wrote under rows/ and the manifests the loader wrote under manifests/ of the warehouse bucket; their keys are not known in advance.',
      });
    }

    // ── Namespace and workgroup, names unique to this stack ────────────────────
    this.namespaceName = uniqueName(prefix);
    this.workgroupName = uniqueName(prefix);
    // Redshift writes to these if they exist: made here, they get a retention.
    const auditLogs = EXPORTED_LOGS.map(
      (logType) =>
        new LogGroup(this, `${logType}Logs`, {
          logGroupName: Fn.join('', ['/aws/redshift/', this.namespaceName, `/${logType}`]),
          retention: props.logRetention ?? RetentionDays.ONE_YEAR,
          removalPolicy,
        }),
    );

    this.namespace = new CfnNamespace(this, 'Namespace', {
      namespaceName: this.namespaceName,
      dbName: this.databaseName,
      adminUsername: ADMIN_USERNAME,
      // A dynamic reference: CloudFormation resolves it; the template never holds the password.
      adminUserPassword: this.adminSecret.secretValueFromJson('password').unsafeUnwrap(),
      kmsKeyId: props.encryptionKey.keyArn,
      iamRoles: [this.copyRole.roleArn],
      defaultIamRoleArn: this.copyRole.roleArn,
      logExports: [...EXPORTED_LOGS],
    });
    this.namespace.applyRemovalPolicy(removalPolicy);
    for (const logs of auditLogs) this.namespace.node.addDependency(logs);

    this.workgroup = new CfnWorkgroup(this, 'Workgroup', {
      workgroupName: this.workgroupName,
      // The attribute (not the plain name) makes CloudFormation create the namespace first.
      namespaceName: this.namespace.attrNamespaceNamespaceName,
      baseCapacity,
      maxCapacity: props.maxCapacity,
      publiclyAccessible: false,
      enhancedVpcRouting: true,
      port: REDSHIFT_PORT,
      subnetIds: this.vpc.isolatedSubnets.map((subnet) => subnet.subnetId),
      securityGroupIds: [this.securityGroup.securityGroupId],
    });
    this.workgroup.node.addDependency(s3Endpoint);
  }

  /** The workgroup's ARN (Data API and GetCredentials grants). */
  get workgroupArn(): string {
    return this.workgroup.attrWorkgroupWorkgroupArn;
  }
}
