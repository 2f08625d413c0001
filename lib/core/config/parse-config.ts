import { checkConfig, type LoadConfigOptions } from './load';
import type { Config } from './schema';
import { readYamlDocument } from './yaml-document';

/** Validates YAML text against the schema, naming every bad key by its path. */
export function parseConfig(text: string, source: string, moreProblems?: LoadConfigOptions['moreProblems']): Config {
  return checkConfig(readYamlDocument(text, source), source, moreProblems);
}
