import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { root } from './world';

/** The variables that tune the Node process itself rather than Fluxline: a child running a bundle must get them. */
const PROCESS_TUNING = ['NODE_OPTIONS', 'MALLOC_ARENA_MAX'] as const;

/**
 * A function's process tuning as serverless.yml deploys it, read from that file (not a copy of it), so a
 * child the bench runs a bundle in pays what Lambda pays: without the worker's `--enable-source-maps` the
 * bench showed its peak RSS 28 MB under the deployed one. The `!GetAtt`-style tags are CloudFormation's:
 * left unresolved.
 */
export function deployedProcessEnv(functionName: string): Record<string, string> {
  const serverless = parse(readFileSync(join(root, 'serverless.yml'), 'utf8'), { logLevel: 'silent' }) as { functions?: Record<string, { environment?: Record<string, unknown> }> };
  const fn = serverless.functions?.[functionName];
  if (!fn) throw new Error(`bench: serverless.yml has no function ${functionName}`);
  const environment = fn.environment ?? {};
  return Object.fromEntries(PROCESS_TUNING.flatMap((name) => (typeof environment[name] === 'string' ? [[name, environment[name]]] : [])));
}
