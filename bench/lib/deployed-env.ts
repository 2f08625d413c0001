import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { root } from './world';

/**
 * A function's NODE_OPTIONS as serverless.yml deploys it, read from that file (not a copy of it), so a child
 * the bench runs a bundle in pays what Lambda pays: `--enable-source-maps` alone took ~17 MB of the worker's
 * RSS. Empty when the function sets none. The `!GetAtt`-style tags are CloudFormation's: left unresolved.
 */
export function deployedNodeOptions(functionName: string): string {
  const serverless = parse(readFileSync(join(root, 'serverless.yml'), 'utf8'), { logLevel: 'silent' }) as { functions?: Record<string, { environment?: Record<string, unknown> }> };
  const fn = serverless.functions?.[functionName];
  if (!fn) throw new Error(`bench: serverless.yml has no function ${functionName}`);
  const options = fn.environment?.NODE_OPTIONS;
  return typeof options === 'string' ? options : '';
}
