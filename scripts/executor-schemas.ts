// Writes docs/executors/*.schema.json from the executor contract's zod schemas: `npx tsx scripts/executor-schemas.ts`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { executorJsonSchemas } from '../lib/core/executors';

const folder = resolve(import.meta.dirname, '../docs/executors');
mkdirSync(folder, { recursive: true });
for (const [name, schema] of Object.entries(executorJsonSchemas())) writeFileSync(resolve(folder, `${name}.schema.json`), `${JSON.stringify(schema, null, 2)}\n`);
