import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ConfigError, InvalidConfig } from './errors';
import { configSchema, type Config } from './schema';

export interface LoadConfigOptions {
  /** `FLUXLINE_CONFIG`: a file path or `ssm:/parameter/name`. */
  location?: string;
  /** Reads an SSM parameter (decrypted); injected so the loader has no AWS dependency of its own. */
  readParameter?: (name: string) => Promise<string>;
  /** Told when the default file is missing and the example is used instead. */
  onFallback?: (message: string) => void;
  cwd?: string;
}

/** Validates YAML text against the schema, naming every bad key by its path. */
export function parseConfig(text: string, source: string): Config {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    if (err instanceof YAMLParseError) throw new InvalidConfig(source, [`not valid YAML: ${err.message}`]);
    throw err;
  }
  const result = configSchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
  throw new InvalidConfig(source, problems);
}

export async function loadConfig(options: LoadConfigOptions = {}): Promise<Config> {
  const cwd = options.cwd ?? process.cwd();
  const location = options.location || './config.yaml';
  if (location.startsWith('ssm:')) {
    const name = location.slice('ssm:'.length);
    if (!options.readParameter) throw new ConfigError(`FLUXLINE_CONFIG=${location} needs SSM access, which is not available here`);
    return parseConfig(await options.readParameter(name), location);
  }
  let path = resolve(cwd, location);
  if (!existsSync(path)) {
    // Local runs start on embedded defaults: a newcomer has no config.yaml yet.
    const example = resolve(cwd, 'config.example.yaml');
    if (options.location || !existsSync(example)) throw new ConfigError(`Config file ${path} does not exist; copy config.example.yaml to config.yaml or set FLUXLINE_CONFIG`);
    options.onFallback?.(`${path} not found; using config.example.yaml (copy it to config.yaml to make it yours)`);
    path = example;
  }
  return parseConfig(readFileSync(path, 'utf8'), path);
}
