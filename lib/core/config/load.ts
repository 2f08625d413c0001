import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, InvalidConfig } from './errors';
import { configSchemas, type Config } from './schema';
import type { YamlDocument } from './yaml-document';

export interface LoadConfigOptions {
  /** `FLUXLINE_CONFIG`: a file path or `ssm:/parameter/name`. */
  location?: string;
  /** Reads an SSM parameter (decrypted); injected so the loader has no AWS dependency of its own. */
  readParameter?: (name: string) => Promise<string>;
  /** Told when the default file is missing and the example is used instead. */
  onFallback?: (message: string) => void;
  cwd?: string;
  /**
   * More problems in the raw document, reported with the schema's: each executor's configuration against its
   * own schema (load-checked.ts). Only the Slack ingress goes without, as it reads no executor configuration.
   */
  moreProblems?: (raw: unknown) => string[];
}

/** Validates a YAML document against the schema, naming every bad key by its path (parse-config.ts reads the text). */
export function checkConfig(document: YamlDocument, source: string, moreProblems?: (raw: unknown) => string[]): Config {
  if (!document.ok) throw new InvalidConfig(source, [document.problem]);
  const raw = document.value;
  const result = configSchemas().configSchema.safeParse(raw ?? {});
  const problems = [...(result.success ? [] : result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)), ...(moreProblems?.(raw) ?? [])];
  if (result.success && problems.length === 0) return result.data;
  throw new InvalidConfig(source, problems);
}

/**
 * config.yaml's text, validated. js-yaml is imported here on first use, not with this module: the Slack
 * ingress imports this module, and its cold start is the figure a click waits for (bench/README.md, ≤ 0.25×
 * Bolt's), which needs no config; js-yaml's set-up was ~4 ms of that bundle's load.
 */
async function parsed(text: string, source: string, moreProblems?: (raw: unknown) => string[]): Promise<Config> {
  const { readYamlDocument } = await import('./yaml-document');
  return checkConfig(readYamlDocument(text, source), source, moreProblems);
}

export async function loadConfig(options: LoadConfigOptions = {}): Promise<Config> {
  const cwd = options.cwd ?? process.cwd();
  const location = options.location || './config.yaml';
  if (location.startsWith('ssm:')) {
    const name = location.slice('ssm:'.length);
    if (!options.readParameter) throw new ConfigError(`FLUXLINE_CONFIG=${location} needs SSM access, which is not available here`);
    return await parsed(await options.readParameter(name), location, options.moreProblems);
  }
  let path = resolve(cwd, location);
  if (!existsSync(path)) {
    // Local runs start on embedded defaults: a newcomer has no config.yaml yet.
    const example = resolve(cwd, 'config.example.yaml');
    if (options.location || !existsSync(example)) throw new ConfigError(`Config file ${path} does not exist; copy config.example.yaml to config.yaml or set FLUXLINE_CONFIG`);
    options.onFallback?.(`${path} not found; using config.example.yaml (copy it to config.yaml to make it yours)`);
    path = example;
  }
  return await parsed(readFileSync(path, 'utf8'), path, options.moreProblems);
}
