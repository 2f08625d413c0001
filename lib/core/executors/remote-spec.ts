import * as z from '../validation';
import type { ExecutorSpec } from './contract';
import { message } from './message';

export interface RemoteExecutorFace {
  name: string;
  kind: 'http' | 'lambda';
  mutating: boolean;
  description?: string | undefined;
}

/** A remote executor's configuration is its own business: passed to it as config.yaml has it. */
const passThrough = z.unknown();

/**
 * The face of an out-of-process executor, from config.yaml alone: the ingress answers help and the
 * dispatcher decides (binding, admins) without calling it. It never gets the cluster: it runs with its
 * own credentials, not Fluxline's.
 */
export function remoteExecutorSpec(face: RemoteExecutorFace): ExecutorSpec<unknown> {
  const description = face.description ?? `runs the ${face.kind === 'http' ? 'HTTP' : 'Lambda'} executor configured as \`${face.name}\`.`;
  return {
    name: face.name,
    version: 'remote',
    description,
    configSchema: passThrough,
    mutating: face.mutating,
    needsCluster: false,
    help: () =>
      message(
        { type: 'section', text: `${face.name} ARGS…` },
        { type: 'text', text: `${description} It runs outside Fluxline; \`/flux ${face.name} help\` asks it for its own help.${face.mutating ? ' Admins only; every run is audited.' : ''}` },
      ),
  };
}
