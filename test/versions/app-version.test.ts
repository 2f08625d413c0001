import { describe, expect, it } from 'vitest';
import { appNameOf, chartVersionOf, imageTagOf, versionOf } from '../../lib/flows/versions';

const summary = (labels: Record<string, string>, images: string[] = ['ghcr.io/stefanprodan/podinfo:6.5.1']) => ({ name: 'podinfo', labels, images });

describe('version of a Deployment', () => {
  it.each([
    ['the app.kubernetes.io/version label first', { 'app.kubernetes.io/version': '6.5.4', 'helm.sh/chart': 'podinfo-6.5.3' }, { version: '6.5.4', source: 'label' }],
    ['then the helm.sh/chart version', { 'helm.sh/chart': 'podinfo-6.5.3' }, { version: '6.5.3', source: 'chart' }],
    ['then the image tag', {}, { version: '6.5.1', source: 'image' }],
    ['a blank label counts as none', { 'app.kubernetes.io/version': ' ' }, { version: '6.5.1', source: 'image' }],
  ])('takes %s', (_, labels, expected) => {
    // Act
    const version = versionOf(summary(labels));

    // Assess
    expect(version).toEqual(expected);
  });

  it('takes the tag of the image named after the app, not of a sidecar listed first', () => {
    // Act
    const version = versionOf(summary({}, ['docker.io/istio/proxyv2:1.20.0', 'ghcr.io/stefanprodan/podinfo:6.5.2']));

    // Assess
    expect(version?.version).toBe('6.5.2');
  });

  it.each([
    ['podinfo-6.5.3', '6.5.3'],
    ['my-app-2-1.2.3', '1.2.3'],
    ['podinfo-6.5.3-rc.1', '6.5.3-rc.1'],
    ['podinfo-1.0.0_build.7', '1.0.0+build.7'],
    ['nover', undefined],
  ])('reads the chart version of %s', (label, expected) => {
    expect(chartVersionOf(label)).toBe(expected);
  });

  it.each([
    ['ghcr.io/org/app:1.2.3', '1.2.3'],
    ['localhost:5000/app:2.0', '2.0'],
    ['ghcr.io/org/app:1.2.3@sha256:0123456789abcdef0123', '1.2.3'],
    ['ghcr.io/org/app@sha256:0123456789abcdef0123', '0123456789ab'],
    ['nginx', 'latest'],
  ])('reads the tag of %s', (image, expected) => {
    expect(imageTagOf(image)).toBe(expected);
  });

  it('names the app by its app.kubernetes.io/name label, else by the Deployment name', () => {
    expect(appNameOf({ name: 'podinfo-primary', labels: { 'app.kubernetes.io/name': 'podinfo' } })).toBe('podinfo');
    expect(appNameOf({ name: 'podinfo', labels: {} })).toBe('podinfo');
  });
});
