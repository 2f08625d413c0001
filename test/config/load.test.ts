import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, InvalidConfig, loadConfig, parseConfig } from '../../lib/core/config';

const valid = `
slack:
  channel: C0FLUX
  admins: [U0ADMIN]
  channels:
    C0STAGE: { clusters: [stage] }
clusters:
  stage: { kubeconfig: { ssm: /fluxline/prod/kubeconfig/stage } }
  prod:  { eks: { name: prod, region: eu-west-1 } }
repositories:
  - name: acme/fleet
    pullRequests:
      paths: { include: ['^clusters/.*'], exclude: ['\\.md$'] }
    diffs:
      - { kustomization: flux-system/apps, cluster: stage }
gitops: { repository: acme/fleet }
apps: { namespaces: [podinfo] }
`;

describe('config.yaml', () => {
  it('parses the DESIGN example and fills the documented defaults', () => {
    const config = parseConfig(valid, 'config.yaml');

    const [repo] = config.repositories;
    expect(repo?.pullRequests.types).toEqual(['opened', 'reopened', 'synchronize', 'ready_for_review']);
    expect(repo?.pullRequests.forks).toBe('notify-only');
    expect(repo?.pullRequests.drafts).toBe(false);
    expect(repo?.pullRequests.labels).toEqual({ include: [], exclude: [] });
    expect(config.gitops).toEqual({ repository: 'acme/fleet', branch: 'main', mode: 'commit', paths: {} });
  });

  it('takes per-environment GitOps folders, normalized, and refuses unknown environments and paths out of the repository', () => {
    // Prepare
    const good = valid.replace('gitops: { repository: acme/fleet }', 'gitops: { repository: acme/fleet, paths: { prod: ./clusters/production/ } }');
    const bad = valid.replace('gitops: { repository: acme/fleet }', 'gitops: { repository: acme/fleet, paths: { qa: clusters/qa, prod: ../elsewhere } }');

    // Act
    const config = parseConfig(good, 'config.yaml');
    const error = (() => {
      try {
        parseConfig(bad, 'config.yaml');
      } catch (err) {
        return err;
      }
    })();

    // Assess
    expect(config.gitops?.paths).toEqual({ prod: 'clusters/production' });
    expect(error).toBeInstanceOf(InvalidConfig);
    const problems = (error as InvalidConfig).problems.join('\n');
    expect(problems).toMatch(/gitops\.paths\.qa.*unknown environment "qa"/);
    expect(problems).toMatch(/gitops\.paths\.prod.*without `\.\.`/);
  });

  it('names the path of every bad key at once', () => {
    // Prepare: three independent mistakes
    const text = `
slack: { channel: general, admins: [U0ADMIN] }
clusters:
  stage: { kubeconfig: { file: ~/.kube/config } }
repositories:
  - name: acme/fleet
    pullRequests: { forks: always, paths: { include: ['^clusters/(' ] } }
    diffs: [{ kustomization: flux-system/apps, cluster: staging }]
`;
    // Act
    const error = (() => {
      try {
        parseConfig(text, 'config.yaml');
      } catch (err) {
        return err;
      }
    })();

    // Assess
    expect(error).toBeInstanceOf(InvalidConfig);
    const problems = (error as InvalidConfig).problems.join('\n');
    expect(problems).toMatch(/^slack\.channel: must be a Slack channel id/m);
    expect(problems).toMatch(/^repositories\.0\.pullRequests\.forks: /m);
    expect(problems).toMatch(/^repositories\.0\.pullRequests\.paths\.include\.0: not a valid regular expression/m);
    expect(problems).toMatch(/^repositories\.0\.diffs\.0\.cluster: unknown cluster "staging"; known: stage/m);
  });

  it('maps spec.kubeConfig Secrets to configured clusters under remoteClusters, and refuses an unknown one', () => {
    const withRemote = (target: string) => valid.replace('  stage: { kubeconfig: { ssm: /fluxline/prod/kubeconfig/stage } }', `  stage: { kubeconfig: { ssm: /fluxline/prod/kubeconfig/stage }, remoteClusters: { flux-system/edge-kubeconfig: ${target} } }\n  edge: { kubeconfig: { ssm: /fluxline/prod/kubeconfig/edge } }`);
    expect(parseConfig(withRemote('edge'), 'c.yaml').clusters.stage?.remoteClusters).toEqual({ 'flux-system/edge-kubeconfig': 'edge' });
    expect(() => parseConfig(withRemote('nowhere'), 'c.yaml')).toThrow(/clusters\.stage\.remoteClusters\.flux-system\/edge-kubeconfig: unknown cluster "nowhere"/);
  });

  it('rejects keys it does not know, so a typo is not silently ignored', () => {
    expect(() => parseConfig(valid.replace('admins:', 'admin:'), 'c.yaml')).toThrow(/slack: Unrecognized key/);
  });

  it('reports YAML syntax errors as invalid config, with where they are', () => {
    expect(() => parseConfig('slack: [unclosed', 'c.yaml')).toThrow(InvalidConfig);
    expect(() => parseConfig('slack: [unclosed', 'c.yaml')).toThrow(/c\.yaml.*not valid YAML: .+ \(line 2, column 1\)/s);
  });

  it('refuses a key given twice instead of keeping one of them', () => {
    expect(() => parseConfig(valid.replace('gitops: { repository: acme/fleet }', 'gitops: { repository: acme/fleet }\ngitops: { repository: acme/other }'), 'c.yaml')).toThrow(
      /not valid YAML: duplicated mapping key \(line \d+, column 1\)/,
    );
  });

  it('reads YAML 1.2 as promote does: date-like and yes/no values stay strings', () => {
    // Act
    const config = parseConfig(valid.replace("paths: { include: ['^clusters/.*'], exclude: ['\\.md$'] }", 'labels: { include: [2026-01-01, yes] }'), 'c.yaml');

    // Assess
    expect(config.repositories[0]?.pullRequests.labels.include).toEqual(['2026-01-01', 'yes']);
  });

  it('falls back to config.example.yaml when the default file is absent, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fluxline-config-'));
    writeFileSync(join(dir, 'config.example.yaml'), valid);
    const notes: string[] = [];

    const config = await loadConfig({ cwd: dir, onFallback: (message) => notes.push(message) });

    expect(config.slack.channel).toBe('C0FLUX');
    expect(notes[0]).toMatch(/using config\.example\.yaml/);
  });

  it('does not fall back when FLUXLINE_CONFIG names a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fluxline-config-'));
    writeFileSync(join(dir, 'config.example.yaml'), valid);
    await expect(loadConfig({ cwd: dir, location: './mine.yaml' })).rejects.toThrow(ConfigError);
  });

  it('reads the config from an SSM parameter when FLUXLINE_CONFIG is ssm:/name', async () => {
    const asked: string[] = [];
    const config = await loadConfig({
      location: 'ssm:/fluxline/prod/config',
      readParameter: (name) => {
        asked.push(name);
        return Promise.resolve(valid);
      },
    });
    expect(asked).toEqual(['/fluxline/prod/config']);
    expect(Object.keys(config.clusters)).toEqual(['stage', 'prod']);
  });
});
