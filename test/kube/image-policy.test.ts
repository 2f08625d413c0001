import { describe, expect, it } from 'vitest';
import { latestPickOf } from '../../lib/adapters/kube';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe("an ImagePolicy's latest pick, as image-reflector-controller reports it", () => {
  it.each([
    ['v1 status.latestRef', { latestRef: { name: 'ghcr.io/acme/api', tag: '2.0.1', digest: DIGEST } }, { name: 'ghcr.io/acme/api', tag: '2.0.1', digest: DIGEST }],
    ['v1 status.latestRef without digest', { latestRef: { name: 'ghcr.io/acme/api', tag: '2.0.1' } }, { name: 'ghcr.io/acme/api', tag: '2.0.1' }],
    ['v1beta2 status.latestImage (before latestRef)', { latestImage: 'ghcr.io/acme/api:2.0.1' }, { name: 'ghcr.io/acme/api', tag: '2.0.1' }],
    ['v1beta2 latestImage of a registry with a port', { latestImage: 'registry.acme.internal:5000/team/api:v2.0.1' }, { name: 'registry.acme.internal:5000/team/api', tag: 'v2.0.1' }],
    ['v1beta2 latestImage with a reflected digest', { latestImage: `ghcr.io/acme/api:2.0.1@${DIGEST}` }, { name: 'ghcr.io/acme/api', tag: '2.0.1', digest: DIGEST }],
  ])('reads %s', (_form, status, expected) => {
    // Act
    const pick = latestPickOf(status);

    // Assess
    expect(pick).toEqual(expected);
  });

  it('has no pick before the policy resolved one, or for an image reference without a tag', () => {
    // Assess
    expect(latestPickOf({})).toBeUndefined();
    expect(latestPickOf({ latestImage: 'registry.acme.internal:5000/team/api' })).toBeUndefined();
  });
});
