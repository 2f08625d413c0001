import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceInUseException, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StoreTimedOut } from './errors';

export interface StoreOptions {
  tableName: string;
  /** DynamoDB Local in dev and tests; unset in AWS. */
  endpoint?: string;
  region?: string;
  timeouts?: Partial<StoreTimeouts>;
}

/**
 * How long one DynamoDB call may take. Sized for the tightest caller, POST /flux/events (Flux gives up
 * after 15 s): a DynamoDB that accepts connections and never answers costs at most
 * 2 attempts × 3 s plus the SDK's backoff, then the call fails with StoreTimedOut (a 503).
 * Without these the SDK waits on a silent socket until the Lambda timeout.
 */
export interface StoreTimeouts {
  /** TCP (and TLS) connect. @default 1000 */
  connectMs: number;
  /** One attempt, from sending the request to the whole answer. @default 3000 */
  requestMs: number;
  /** Attempts of one call, the first included (a timeout is retried as transient). @default 2 */
  maxAttempts: number;
}

export const DEFAULT_STORE_TIMEOUTS: StoreTimeouts = { connectMs: 1000, requestMs: 3000, maxAttempts: 2 };

export interface TableHandle {
  doc: DynamoDBDocumentClient;
  raw: DynamoDBClient;
  tableName: string;
}

/**
 * DynamoDB Local keeps one database per access key and region: both are fixed for it, so the table that
 * npm start, the tests or the bench created is the one every handler sees, whatever AWS_REGION says.
 */
const DYNAMODB_LOCAL = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

export function openTable({ tableName, endpoint, region = 'us-east-1', timeouts = {} }: StoreOptions): TableHandle {
  const { connectMs, requestMs, maxAttempts } = { ...DEFAULT_STORE_TIMEOUTS, ...timeouts };
  const raw = new DynamoDBClient({
    ...(endpoint ? { ...DYNAMODB_LOCAL, endpoint } : { region }),
    maxAttempts,
    // throwOnRequestTimeout: without it @smithy/node-http-handler only logs a warning when requestTimeout passes.
    requestHandler: { connectionTimeout: connectMs, requestTimeout: requestMs, throwOnRequestTimeout: true },
  });
  // Outermost step, so it sees the error after the SDK's retries: one error kind callers can map (503, retry).
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        if (err instanceof Error && err.name === 'TimeoutError') throw new StoreTimedOut(context.commandName ?? 'a DynamoDB call', maxAttempts, requestMs, { cause: err });
        throw err;
      }
    },
    { step: 'initialize', name: 'fluxlineStoreTimedOut' },
  );
  const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return { doc, raw, tableName };
}

/**
 * Creates the single table with its GSI unless it exists; for DynamoDB Local only (in AWS, serverless.yml
 * owns it). Called by what starts a DynamoDB Local (npm start, the tests, the bench), never by a
 * handler: a cold start must not pay a round trip for it.
 */
export async function ensureTable({ raw, tableName }: TableHandle): Promise<void> {
  try {
    await raw.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  try {
    await raw.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi1sk'].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'gsi1',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
  } catch (err) {
    // Two processes starting at once (npm start's first requests): the other one created it.
    if (!(err instanceof ResourceInUseException)) throw err;
  }
}
