import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ServiceName } from '../../../contracts/index.js';
import { acknowledge } from '../nag.js';
import { PipelineFunction, repoPath } from './pipeline-function.js';
import { allowStreamWrites } from './sales-stream.js';
import { TILL_IDEMPOTENCY_ACTIONS } from './till-idempotency-table.js';

/** The till API handler module (API Gateway HTTP API, payload v2). */
export const TILL_API_HANDLER_ENTRY = repoPath('producers/till-api/lambda.ts');

export interface TillApiProps {
  readonly stream: IStream;
  /** The stream's key: the producer encrypts records with it. */
  readonly streamKey: IKey;
  /** The handler module; a prop so the construct synthesises before the module exists. */
  readonly entry?: string;
  readonly memorySize?: number;
  /** Concurrency kept for the till API, so a nightly burst of ingests cannot take it; unset draws on the account pool. */
  readonly reservedConcurrentExecutions?: number;
  /** Steady requests per second across all tills (stage throttle). */
  readonly rateLimit?: number;
  readonly burstLimit?: number;
  /** Till credentials (`TillCredentialsTable`, in the data stack). */
  readonly credentialsTable: ITable;
  /** Idempotency keys (`TillIdempotencyTable`, in the data stack). */
  readonly idempotencyTable: ITable;
}

/**
 * Live till integrations post each sale over HTTPS to an API Gateway HTTP API; the
 * till API Lambda (the same fastify app as locally) authenticates the till's bearer
 * credential, validates the sale and writes a TransactionRecorded event to the
 * stream, like the CSV ingest does. Credentials live in a DynamoDB table keyed by
 * `tillId` (hashes only, never a secret), read with GetItem; idempotency keys in
 * another, used with exactly the three item actions its store needs (a conditional
 * PutItem, a consistent GetItem, an UpdateItem of the refunded pence). The stage
 * is throttled and access-logged.
 * The function may write the stream (encrypt only) but, outside the personal-data
 * role path, never read it.
 */
export class TillApi extends Construct {
  readonly function: NodejsFunction;
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** Till credentials (`tillId` → branch, salt, secret hash); read by the API, written by operators. */
  readonly credentialsTable: ITable;

  constructor(scope: Construct, id: string, props: TillApiProps) {
    super(scope, id);
    const rateLimit = props.rateLimit ?? 50;
    const burstLimit = props.burstLimit ?? 100;
    if (!(rateLimit > 0) || !Number.isInteger(burstLimit) || burstLimit < 1) {
      throw new Error(`${id}: rateLimit must be positive and burstLimit a positive integer, got ${rateLimit} / ${burstLimit}`);
    }

    this.credentialsTable = props.credentialsTable;

    const fn = new PipelineFunction(this, 'Handler', {
      entry: props.entry ?? TILL_API_HANDLER_ENTRY,
      serviceName: ServiceName.TillApi,
      description: 'Super Café: live till sale (HTTPS) → TransactionRecorded event on the sales stream',
      memorySize: props.memorySize ?? 256,
      timeout: Duration.seconds(10),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        STREAM_NAME: props.stream.streamName,
        TILL_CREDENTIALS_TABLE: this.credentialsTable.tableName,
        TILL_IDEMPOTENCY_TABLE: props.idempotencyTable.tableName,
      },
    });
    this.function = fn.function;
    allowStreamWrites(this.function, props.stream, props.streamKey);
    this.function.addToRolePolicy(new PolicyStatement({ sid: 'LookUpTill', actions: ['dynamodb:GetItem'], resources: [this.credentialsTable.tableArn] }));
    this.function.addToRolePolicy(new PolicyStatement({ sid: 'ClaimSaleIds', actions: [...TILL_IDEMPOTENCY_ACTIONS], resources: [props.idempotencyTable.tableArn] }));

    this.api = new HttpApi(this, 'Api', { description: 'Super Café live till sales', createDefaultStage: false });
    // The app owns its routes (POST /v1/sales, health, docs) and authenticates each till itself.
    const routes = this.api.addRoutes({ path: '/{proxy+}', methods: [HttpMethod.ANY], integration: new HttpLambdaIntegration('Integration', this.function) });
    for (const route of routes) {
      acknowledge(route, {
        id: 'AwsSolutions-APIG4',
        reason: "Tills authenticate in the handler with a per-till bearer credential (salted hash in DynamoDB, constant-time check, revocable); a gateway authorizer would duplicate it and SigV4 would take the same Authorization header.",
      });
    }

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit, burstLimit },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
    });
  }

  /** The base URL tills post to. */
  get url(): string {
    return this.stage.url;
  }
}
