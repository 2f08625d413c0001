import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executorJsonSchemas } from '../../lib/core/executors';

describe('the executor JSON Schemas under docs/executors', () => {
  it.each(Object.entries(executorJsonSchemas()))('%s.schema.json is what the contract says (regenerate: npx tsx scripts/executor-schemas.ts)', (name, schema) => {
    const published: unknown = JSON.parse(readFileSync(resolve(import.meta.dirname, `../../docs/executors/${name}.schema.json`), 'utf8'));

    expect(published).toEqual(schema);
  });
});
