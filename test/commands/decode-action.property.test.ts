import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandError, decodeAction, UnknownAction } from '../../lib/core/commands';
import { parseConfig } from '../../lib/core/config';
import { channelMayUseCluster } from '../../lib/flows/interactions/authorize';

/** Keys every JavaScript object answers to: `name in map` is true for them. */
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype);

const config = parseConfig(`
slack: { channel: C0FLUX, admins: [U0ADMIN], channels: { C0STAGE: { clusters: [stage] } } }
clusters:
  stage: { kubeconfig: { file: /dev/null } }
  prod: { kubeconfig: { file: /dev/null } }
`, 'config.yaml');

/** A cluster field as an attacker would fill it: prototype keys, near-misses, names and noise. */
const clusterField = fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS, 'stage', 'prod', 'Stage', 'stage ', 'stage/..', ''), fc.string(), fc.stringMatching(/^[a-z0-9-]{1,70}$/));

/** Values shaped like Fluxline's, with every field up for grabs. */
const fluxlineShaped = fc
  .record({
    v: fc.oneof(fc.constant(1), fc.anything()),
    type: fc.constantFrom('flux-diff', 'post-diff', 'approve', 'flux-row', 'flux-item', 'flux-run', 'other'),
    repository: fc.oneof(fc.constant('acme/fleet'), fc.string()),
    number: fc.oneof(fc.integer(), fc.double(), fc.string()),
    kustomization: fc.oneof(fc.constant('flux-system/apps'), fc.string()),
    cluster: clusterField,
    jobId: fc.oneof(fc.constant('slack-0123456789abcdef01234567'), fc.string()),
    row: fc.oneof(fc.nat(), fc.integer(), fc.string()),
    action: fc.constantFrom('reconcile', 'events', 'tree', 'delete'),
    kind: fc.constantFrom('Kustomization', 'HelmRelease', 'Secret'),
    namespace: fc.oneof(fc.constant('flux-system'), fc.string()),
    name: fc.oneof(fc.constant('apps'), fc.string()),
    threadTs: fc.oneof(fc.constant('1700000000.000100'), fc.string()),
  }, { requiredKeys: ['v', 'type'] })
  .map((value) => JSON.stringify(value));

function decoded(value: string) {
  try {
    return decodeAction(value);
  } catch (err) {
    // The only failure a caller needs to handle: a refusal it can show the user.
    expect(err).toBeInstanceOf(UnknownAction);
    expect(err).toBeInstanceOf(CommandError);
    return undefined;
  }
}

describe('decodeAction, whatever Slack (or someone with the signing secret) sends', () => {
  it('throws nothing but the typed UnknownAction for any string', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json(), fluxlineShaped, fc.string({ unit: 'binary', maxLength: 3_000 })), (value) => void decoded(value)), { numRuns: 2_000 });
  });

  it('never yields a cluster that is not an own key of config.clusters once authorized', () => {
    fc.assert(
      fc.property(fluxlineShaped, fc.constantFrom('C0FLUX', 'C0STAGE', 'C0OTHER'), (value, channel) => {
        const action = decoded(value);
        if (!action || !('cluster' in action)) return;
        // The grammar alone already keeps every prototype key but `constructor` out…
        expect(action.cluster).toMatch(/^[a-z0-9][a-z0-9-]{0,62}$/);
        // …and the authorization sees own keys only.
        if (channelMayUseCluster(config, channel, action.cluster).allowed) expect(Object.hasOwn(config.clusters, action.cluster)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it.each(PROTOTYPE_KEYS)('refuses the cluster `%s` in every channel', (cluster) => {
    for (const channel of ['C0FLUX', 'C0STAGE', 'C0OTHER']) expect(channelMayUseCluster(config, channel, cluster).allowed).toBe(false);
  });
});
