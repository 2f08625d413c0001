import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/dynamodb-local.ts'],
    // DynamoDB Local, the HTTP fakes and the stand-in flux binary are real processes: give them room.
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
