import { describe, expect, it } from 'vitest';
import { commitOf, deploymentOf, MalformedFluxEvent, parseFluxEvent, revisionOf } from '../../lib/flows/deploys';
import { fluxEventBody, fluxFixture } from '../helpers/flux-requests';

describe('Flux events', () => {
  it('parses the example of Flux’s Event API docs as it is documented', () => {
    // Act
    const event = parseFluxEvent(fluxFixture('kustomization-validation-failed'));

    // Assess
    expect(event).toMatchObject({ involvedObject: { kind: 'Kustomization', namespace: 'apps', name: 'webapp' }, severity: 'error', reason: 'ValidationFailed', reportingController: 'kustomize-controller' });
    expect(revisionOf(event)).toBe('main/731f7eaddfb6af01cb2173e18f0f75b0ba780ef1');
  });

  it('accepts an event without metadata', () => {
    const { metadata: _, ...event } = JSON.parse(fluxFixture('helmrelease-upgrade-succeeded')) as Record<string, unknown>;
    expect(parseFluxEvent(JSON.stringify(event)).metadata).toEqual({});
  });

  it('refuses a body that is not an event with the first bad field', () => {
    expect(() => parseFluxEvent('{"severity":"info"}')).toThrow(MalformedFluxEvent);
    expect(() => parseFluxEvent('{"severity":"info"}')).toThrow(/^not a Flux event: involvedObject: /);
  });

  it.each([
    ['main@sha1:9e1a3c5f0d2b4a6e8c7d9f1b3a5c7e9d1f3b5a7c', '9e1a3c5f0d2b4a6e8c7d9f1b3a5c7e9d1f3b5a7c'],
    ['main/9e1a3c5f0d2b4a6e8c7d9f1b3a5c7e9d1f3b5a7c', '9e1a3c5f0d2b4a6e8c7d9f1b3a5c7e9d1f3b5a7c'],
    ['refs/tags/v1.2.0@sha1:9E1A3C5F0D2B4A6E8C7D9F1B3A5C7E9D1F3B5A7C', '9e1a3c5f0d2b4a6e8c7d9f1b3a5c7e9d1f3b5a7c'],
    ['sha1:9e1a3c5f0d2b4a6e8c7d9f1b3a5c7e9d1f3b5a7c', '9e1a3c5f0d2b4a6e8c7d9f1b3a5c7e9d1f3b5a7c'],
    ['feature/x/9e1a3c5f0d2b4a6e8c7d9f1b3a5c7e9d1f3b5a7c', '9e1a3c5f0d2b4a6e8c7d9f1b3a5c7e9d1f3b5a7c'],
    ['latest@sha256:3b6cdcd5f4a7e3c4b2a1908f7e6d5c4b3a2918f7e6d5c4b3a2918f7e6d5c4b3a', '3b6cdcd5f4a7e3c4b2a1908f7e6d5c4b3a2918f7e6d5c4b3a2918f7e6d5c4b3a'],
    ['something-else', 'something-else'],
  ])('reads the commit of revision %s', (revision, commit) => {
    expect(commitOf(revision)).toBe(commit);
  });

  it.each([
    ['revision', '6.5.4', '6.5.4'],
    ['helm.toolkit.fluxcd.io/revision', '6.5.4', '6.5.4'],
    ['revision', '6.5.4@sha256:3b6cdcd5f4a7e3c4b2a1908f7e6d5c4b3a2918f7e6d5c4b3a2918f7e6d5c4b3a', '6.5.4'],
  ])('reads a HelmRelease chart version from metadata %s: %s', (key, revision, version) => {
    // Prepare
    const event = parseFluxEvent(JSON.stringify({ ...JSON.parse(fluxFixture('helmrelease-upgrade-succeeded')), metadata: { [key]: revision } }));

    // Act
    const found = deploymentOf('prod', event);

    // Assess
    expect(found).toEqual({ deployment: expect.objectContaining({ kind: 'HelmRelease', version, revision }) });
  });

  it('falls back on helm-controller’s message when the metadata has no revision', () => {
    const event = parseFluxEvent(JSON.stringify({ ...JSON.parse(fluxFixture('helmrelease-upgrade-succeeded')), metadata: {} }));
    expect(deploymentOf('prod', event)).toEqual({ deployment: expect.objectContaining({ version: '6.5.4' }) });
  });

  it('ignores a Kustomization success that names no revision', () => {
    const event = parseFluxEvent(fluxEventBody('kustomization-reconciliation-succeeded', { metadata: { revision: '' } }));
    expect(deploymentOf('prod', event)).toEqual({ ignored: expect.stringMatching(/carries no revision/) });
  });

  it('stores the event time in one format, whatever the offset Flux wrote', () => {
    const event = parseFluxEvent(fluxEventBody('helmrelease-upgrade-succeeded', { timestamp: '2026-11-20T12:20:41+02:00' }));
    expect(deploymentOf('prod', event)).toEqual({ deployment: expect.objectContaining({ at: '2026-11-20T10:20:41.000Z' }) });
  });

  it('records what helm-controller copies from the newest status.history snapshot: chart version, app version, values and OCI digests', () => {
    // Act
    const found = deploymentOf('prod', parseFluxEvent(fluxFixture('helmrelease-upgrade-succeeded-oci')));

    // Assess
    expect(found).toEqual({
      deployment: expect.objectContaining({
        version: '6.6.0',
        revision: '6.6.0+3b6cdcd5f4a7',
        appVersion: '6.6.0',
        configDigest: 'sha256:5f2c8e1a9b7d3c6e4f0a2b8d1c9e7f3a5b6d8c0e2f4a6b8d0c2e4f6a8b0d2c4e',
        ociDigest: 'sha256:3b6cdcd5f4a7e3c4b2a1908f7e6d5c4b3a2918f7e6d5c4b3a2918f7e6d5c4b3a',
      }),
    });
  });

  it.each([
    ['as notification-controller forwards them', { 'app-version': '1.10.0', token: 'sha256:aaaa' }],
    ['with helm-controller’s group prefix', { 'helm.toolkit.fluxcd.io/app-version': '1.10.0', 'helm.toolkit.fluxcd.io/token': 'sha256:aaaa' }],
  ])('reads the app version and values digest keys %s', (_how, metadata) => {
    const event = parseFluxEvent(fluxEventBody('helmrelease-upgrade-succeeded', { metadata: { revision: '4.10.0', ...metadata } }));
    expect(deploymentOf('prod', event)).toEqual({ deployment: expect.objectContaining({ version: '4.10.0', appVersion: '1.10.0', configDigest: 'sha256:aaaa' }) });
  });

  it('records the origin revision kustomize-controller sends for an OCI artifact built from Git', () => {
    const event = parseFluxEvent(fluxEventBody('kustomization-reconciliation-succeeded', { metadata: { revision: 'latest@sha256:3b6cdcd5f4a7e3c4b2a1908f7e6d5c4b3a2918f7e6d5c4b3a2918f7e6d5c4b3a', originRevision: 'main@sha1:9e1a3c5f0d2b4a6e8c7d9f1b3a5c7e9d1f3b5a7c' } }));
    expect(deploymentOf('prod', event)).toEqual({ deployment: expect.objectContaining({ originRevision: 'main@sha1:9e1a3c5f0d2b4a6e8c7d9f1b3a5c7e9d1f3b5a7c' }) });
  });
});
