import { clusterAccess } from '../../core/config';
import { logger } from '../../core/log';
import { listImageUpdateAutomations, readImagePolicyPick, resolveClusterAccess, type ClusterConnection } from '../../adapters/kube';
import type { ClusterToRead, VersionsDeps } from '../versions';
import type { VersionTarget } from './version-targets';

/** An image policy marker on an edited line, as image-automation-controller reads it. */
export interface AutomationMarker {
  /** `namespace:name` of the ImagePolicy (`flux-system:podinfo`). */
  policy: string;
  /** The marker's suffix: which part of the pick the setter writes (`tag`, `name`, `digest`). */
  field?: string;
  line: number;
  /** The ImageUpdateAutomations of the policy's namespace that write to the edited file, as the cluster has them. */
  automations?: { namespace: string; name: string; suspended: boolean }[];
  /** Why they could not be read (the warning then names none). */
  unreadable?: string;
  /**
   * What the next automation run writes on the line: the policy's latest pick (ImagePolicy `status.latestRef`),
   * as the marker's suffix selects it (`:tag`, `:name`, `:digest`; none: the whole image reference).
   */
  writes?: { value: string; image: string };
}

/**
 * `# {"$imagepolicy": "flux-system:podinfo"}` (optionally `:tag` or `:name`) at the end of a line tells
 * image-automation-controller to write the policy's latest pick there on its next run
 * (https://fluxcd.io/flux/guides/image-update/#configure-image-update-for-custom-resources-fields).
 * A version written by hand on such a line — a rollback above all — lasts until that run.
 */
const MARKER = /#\s*\{\s*"\$imagepolicy"\s*:\s*"([^"]+)"\s*\}/;

export function automationMarkers(text: string, targets: VersionTarget[]): AutomationMarker[] {
  const found = new Map<string, AutomationMarker>();
  for (const target of targets) {
    if (target.range[1] === 0) continue;
    const start = text.lastIndexOf('\n', target.range[0] - 1) + 1;
    const end = text.indexOf('\n', target.range[1]);
    const line = text.slice(start, end < 0 ? undefined : end);
    const marker = MARKER.exec(line)?.[1];
    if (!marker) continue;
    const [namespace = '', name = '', field] = marker.split(':');
    const policy = `${namespace}:${name}`;
    found.set(policy, { policy, line: text.slice(0, start).split('\n').length, ...(field ? { field } : {}) });
  }
  return [...found.values()];
}

/** `./clusters/production/` -> `clusters/production`; `./` -> `` (the whole repository). */
const folderOfUpdate = (path: string) => path.replace(/^\.\/?/, '').replace(/\/+$/, '');

/**
 * Reads, on the environment's cluster, the ImageUpdateAutomations that will rewrite the edited file
 * (their `spec.update.path` holds it), so the answer can name them and say whether they are suspended.
 */
export async function withAutomations(deps: VersionsDeps, target: ClusterToRead, path: string, markers: AutomationMarker[]): Promise<AutomationMarker[]> {
  const access = clusterAccess(deps.config, target.name);
  if (!access || markers.length === 0) return markers;
  try {
    const connection = await resolveClusterAccess(target.name, access, deps, target.impersonate ? { impersonate: target.impersonate } : {});
    const namespaces = [...new Set(markers.map((marker) => marker.policy.split(':')[0] || 'flux-system'))];
    const found = (await Promise.all(namespaces.map((namespace) => listImageUpdateAutomations(connection, namespace)))).flat();
    const writing = found.filter((automation) => {
      const folder = folderOfUpdate(automation.path);
      return folder === '' || path === folder || path.startsWith(`${folder}/`);
    });
    const picks = await Promise.all(markers.map((marker) => policyPick(connection, marker)));
    return markers.map((marker, i) => {
      const writes = picks[i];
      return {
        ...marker,
        automations: writing.filter((a) => a.namespace === (marker.policy.split(':')[0] || 'flux-system')).map(({ namespace, name, suspended }) => ({ namespace, name, suspended })),
        ...(writes ? { writes } : {}),
      };
    });
  } catch (err) {
    logger.warn('could not read the ImageUpdateAutomations', { cluster: target.name, error: err as Error });
    return markers.map((marker) => ({ ...marker, unreadable: (err as Error).message.split('\n')[0] ?? 'unreadable' }));
  }
}

/** What the policy's pick puts on the marked line; undefined when the policy cannot be read (the warning is still given). */
async function policyPick(connection: ClusterConnection, marker: AutomationMarker): Promise<AutomationMarker['writes']> {
  const [namespace = 'flux-system', name = ''] = marker.policy.split(':');
  try {
    const pick = await readImagePolicyPick(connection, { namespace: namespace || 'flux-system', name });
    if (!pick) return undefined;
    // A digest is reflected only with the policy's digestReflectionPolicy; a line without suffix then gets it too.
    const image = `${pick.name}:${pick.tag}`;
    const value = marker.field === 'tag' ? pick.tag : marker.field === 'name' ? pick.name : marker.field === 'digest' ? pick.digest : `${image}${pick.digest ? `@${pick.digest}` : ''}`;
    return value ? { value, image } : undefined;
  } catch (err) {
    logger.warn('could not read the ImagePolicy', { policy: marker.policy, error: err as Error });
    return undefined;
  }
}
