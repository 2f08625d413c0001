import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/core/config';

const text = readFileSync(new URL('../../config.example.yaml', import.meta.url), 'utf8');

describe('config.example.yaml', () => {
  it('is valid against the real schema', () => {
    expect(() => parseConfig(text, 'config.example.yaml')).not.toThrow();
  });

  it('watches acme/fleet the way the sample events expect', () => {
    // Act
    const config = parseConfig(text, 'config.example.yaml');

    // Assess
    const fleet = config.repositories.find((r) => r.name === 'acme/fleet');
    expect(fleet?.pullRequests.paths).toEqual({ include: ['^clusters/', '^apps/'], exclude: ['\\.md$'] });
    expect(fleet?.diffs).toEqual([{ kustomization: 'flux-system/apps', cluster: 'local' }]);
    expect(config.clusters.local).toEqual({ kubeconfig: { file: '~/.kube/config' } });
    expect(config.slack).toMatchObject({ channel: 'C0FLUX', admins: ['U0ADMIN'] });
  });

  it('stays valid with its commented-out examples switched on', () => {
    // Prepare: uncomment the optional keys the file shows (approvers, a bound prod channel, ssm and eks clusters).
    const everything = text.replace(/^(\s*)# (approvers|C0PROD|stage|prod):/gm, '$1$2:');
    expect(everything).not.toBe(text);

    // Act
    const config = parseConfig(everything, 'config.example.yaml (all examples on)');

    // Assess
    expect(Object.keys(config.clusters)).toEqual(['local', 'stage', 'prod']);
    expect(config.slack.channels.C0PROD).toEqual({ clusters: ['prod'], group: 'fluxline-prod-readers' });
  });
});
