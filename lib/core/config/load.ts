import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CORE_SCHEMA, load as parseYaml, YAMLException } from 'js-yaml';
import { ConfigError, InvalidConfig } from './errors';
import { configSchemas, type Config } from './schema';

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

/** Validates YAML text against the schema, naming every bad key by its path. */
export function parseConfig(text: string, source: string, moreProblems?: (raw: unknown) => string[]): Config {
  let raw: unknown;
  try {
    // js-yaml rather than `yaml` (which promote keeps for its Document API): every cold start of every
    // function parses this file, and js-yaml does it in ~2.4 ms against ~9.5 ms, from 75 KB fewer bytes.
    // CORE_SCHEMA is YAML 1.2's, as `yaml` reads it: no timestamps or merge keys.
    raw = parseYaml(text, { schema: CORE_SCHEMA, filename: source });
  } catch (err) {
    if (err instanceof YAMLException) throw new InvalidConfig(source, [`not valid YAML: ${err.reason} (line ${err.mark.line + 1}, column ${err.mark.column + 1})`]);
    throw err;
  }
  const result = configSchemas().configSchema.safeParse(raw ?? {});
  const problems = [...(result.success ? [] : result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)), ...(moreProblems?.(raw) ?? [])];
  if (result.success && problems.length === 0) return result.data;
  throw new InvalidConfig(source, problems);
}

export async function loadConfig(options: LoadConfigOptions = {}): Promise<Config> {
  const cwd = options.cwd ?? process.cwd();
  const location = options.location || './config.yaml';
  if (location.startsWith('ssm:')) {
    const name = location.slice('ssm:'.length);
    if (!options.readParameter) throw new ConfigError(`FLUXLINE_CONFIG=${location} needs SSM access, which is not available here`);
    return parseConfig(await options.readParameter(name), location, options.moreProblems);
  }
  let path = resolve(cwd, location);
  if (!existsSync(path)) {
    // Local runs start on embedded defaults: a newcomer has no config.yaml yet.
    const example = resolve(cwd, 'config.example.yaml');
    if (options.location || !existsSync(example)) throw new ConfigError(`Config file ${path} does not exist; copy config.example.yaml to config.yaml or set FLUXLINE_CONFIG`);
    options.onFallback?.(`${path} not found; using config.example.yaml (copy it to config.yaml to make it yours)`);
    path = example;
  }
  return parseConfig(readFileSync(path, 'utf8'), path, options.moreProblems);
}
