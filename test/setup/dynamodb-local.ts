import type { TestProject } from 'vitest/node';
// @ts-expect-error -- plain ESM script shared with `npm start` and .ci/run; it has no type declarations.
import { startDynamoDbLocal } from '../../scripts/dynamodb-local.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoDbEndpoint: string;
  }
}

/** One real DynamoDB Local for the whole run; each test file makes its own table in it. */
export default async function setup(project: TestProject) {
  const { endpoint, stop } = (await startDynamoDbLocal()) as { endpoint: string; stop: () => Promise<void> };
  project.provide('dynamoDbEndpoint', endpoint);
  return async () => {
    await stop();
  };
}
