import type { VersionTarget } from './version-targets';

/** An image policy marker on an edited line, as image-automation-controller reads it. */
export interface AutomationMarker {
  /** `namespace:name` of the ImagePolicy (`flux-system:podinfo`). */
  policy: string;
  line: number;
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
    const [namespace = '', name = ''] = marker.split(':');
    const policy = `${namespace}:${name}`;
    found.set(policy, { policy, line: text.slice(0, start).split('\n').length });
  }
  return [...found.values()];
}
