import { executorConfigProblems } from '../executors/catalog';
import type { Config } from './schema';
import { loadConfig as loadUnchecked, type LoadConfigOptions } from './load';
import { parseConfig as parseUnchecked } from './parse-config';

/*
 * config.yaml as every function but the Slack ingress reads it: the schema, and each executor's
 * configuration against that executor's own schema (every bad key by its path). The ingress imports load.ts
 * directly: it routes and authorizes by names and bindings only, so it leaves the executors' schemas (and
 * their bytes, README "Benchmark") to the consumers, which refuse to start on a bad configuration.
 */

export function parseConfig(text: string, source: string): Config {
  return parseUnchecked(text, source, executorConfigProblems);
}

export function loadConfig(options: Omit<LoadConfigOptions, 'moreProblems'> = {}): Promise<Config> {
  return loadUnchecked({ ...options, moreProblems: executorConfigProblems });
}
