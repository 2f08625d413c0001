import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceInUseException, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface StoreOptions {
  tableName: string;
  /** DynamoDB Local in dev and tests; unset in AWS. */
  endpoint?: string;
  region?: string;
}

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

export function openTable({ tableName, endpoint, region = 'us-east-1' }: StoreOptions): TableHandle {
  const raw = new DynamoDBClient(endpoint ? { ...DYNAMODB_LOCAL, endpoint } : { region });
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
