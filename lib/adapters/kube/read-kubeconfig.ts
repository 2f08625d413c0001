import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { ClusterConfigInvalid } from './errors';

/** config.yaml `clusters.<name>.kubeconfig` (lib/core/config/schema.ts). */
export type KubeconfigSource = { ssm: string } | { file: string; context?: string };

export interface KubeconfigText {
  text: string;
  /** Where it came from, for messages: "kubeconfig file ~/.kube/config", "SSM parameter /fluxline/prod/kubeconfig/stage". */
  origin: string;
  /** Directory that relative certificate paths in the file are relative to (as kubectl resolves them). */
  baseDir?: string;
}

/** `~` as a shell would expand it: config.example.yaml says `file: ~/.kube/config`. */
export function expandHome(path: string, home: string = homedir()): string {
  return path === '~' || path.startsWith('~/') ? home + path.slice(1) : path;
}

/** The kubeconfig text of a cluster entry. Errors name the file or parameter, never the content. */
export async function readKubeconfig(cluster: string, source: KubeconfigSource, readParameter: (name: string) => Promise<string>): Promise<KubeconfigText> {
  if ('ssm' in source) {
    const origin = `SSM parameter ${source.ssm}`;
    try {
      return { text: await readParameter(source.ssm), origin };
    } catch (err) {
      throw new ClusterConfigInvalid(cluster, `could not read the kubeconfig from ${origin} (${(err as Error).name}): check that it exists and that the Lambda role may read and decrypt it`, { cause: err });
    }
  }
  const path = expandHome(source.file);
  const origin = `kubeconfig file ${source.file}`;
  try {
    return { text: await readFile(path, 'utf8'), origin, baseDir: dirname(path) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (err as Error).name})`;
    throw new ClusterConfigInvalid(cluster, `${origin}${path === source.file ? '' : ` (${path})`} ${why}: fix clusters.${cluster}.kubeconfig.file in config.yaml`, { cause: err });
  }
}
