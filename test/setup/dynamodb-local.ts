import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../scripts/dynamodb-local.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoDbEndpoint: string;
  }
}

/** One real DynamoDB Local for the whole run; each test file makes its own table in it. */
export default async function setup(project: TestProject) {
  const { endpoint, stop } = await startDynamoDbLocal();
  project.provide('dynamoDbEndpoint', endpoint);
  return async () => {
    await stop();
  };
}
