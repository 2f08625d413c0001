import { describe, expect, it } from 'vitest';
import { CommandError, parseCommand, UnknownCommand } from '../../lib/core/commands';

describe('the /flux grammar', () => {
  it.each([
    ['diff ks apps --github-ref 42', { kind: 'diff-kustomization', name: 'apps', namespace: 'flux-system', githubRef: { type: 'pr-number', number: 42 } }],
    ['diff ks apps --github-ref #42 --cluster stage -n infra', { kind: 'diff-kustomization', name: 'apps', namespace: 'infra', cluster: 'stage', githubRef: { type: 'pr-number', number: 42 } }],
    ['diff kustomization flux-system/apps --github-ref=https://github.com/acme/fleet/pull/7', { kind: 'diff-kustomization', name: 'apps', namespace: 'flux-system', githubRef: { type: 'pr-url', owner: 'acme', repo: 'fleet', number: 7 } }],
    ['diff ks apps --github-ref <https://ghe.acme.io/acme/fleet/pull/7/files|acme/fleet#7>', { kind: 'diff-kustomization', githubRef: { type: 'pr-url', owner: 'acme', repo: 'fleet', number: 7 } }],
    ['diff ks apps --github-ref feature/new-app', { kind: 'diff-kustomization', githubRef: { type: 'branch', name: 'feature/new-app' } }],
    // Slack's mobile clients turn `--` into an em dash.
    ['diff ks apps \u2014github-ref 42 \u2014cluster prod', { kind: 'diff-kustomization', cluster: 'prod', githubRef: { type: 'pr-number', number: 42 } }],
    ['diff prod', { kind: 'diff-environment', environment: 'prod' }],
    ['list', { kind: 'list' }],
    ['list podinfo', { kind: 'list', app: 'podinfo' }],
    ['promote podinfo@6.5.4 to prod', { kind: 'promote', app: 'podinfo', version: '6.5.4', environment: 'prod' }],
    ['rollback podinfo on prod', { kind: 'rollback', app: 'podinfo', environment: 'prod' }],
    ['history podinfo on prod', { kind: 'history', app: 'podinfo', environment: 'prod' }],
    ['history podinfo', { kind: 'history', app: 'podinfo' }],
    ['', { kind: 'help' }],
    ['  HELP diff ', { kind: 'help', topic: 'diff' }],
    ['get ks -A', { kind: 'flux-cli', command: { verb: 'get', kind: 'Kustomization', allNamespaces: true, showSource: false } }],
    ['get sources git podinfo -n apps --cluster stage', { kind: 'flux-cli', command: { verb: 'get', kind: 'GitRepository', name: 'podinfo', namespace: 'apps', cluster: 'stage' } }],
    ['get hr -A --show-source', { kind: 'flux-cli', command: { verb: 'get', kind: 'HelmRelease', allNamespaces: true, showSource: true } }],
    ['reconcile ks podinfo/apps --with-source', { kind: 'flux-cli', command: { verb: 'reconcile', kind: 'Kustomization', name: 'apps', namespace: 'podinfo', withSource: true } }],
    ['resume hr podinfo -n podinfo', { kind: 'flux-cli', command: { verb: 'resume', kind: 'HelmRelease', name: 'podinfo', namespace: 'podinfo' } }],
    ['tree ks flux-system', { kind: 'flux-cli', command: { verb: 'tree', kind: 'Kustomization', name: 'flux-system', namespace: 'flux-system' } }],
    ['events --for Kustomization/apps', { kind: 'flux-cli', command: { verb: 'events', for: { kind: 'Kustomization', name: 'apps' }, namespace: 'flux-system' } }],
  ])('parses `/flux %s`', (text, expected) => {
    expect(parseCommand(text)).toMatchObject(expected);
  });

  it.each([
    ['diff ks apps', /--github-ref/],
    ['diff ks --github-ref 42', /Missing the Kustomization name/],
    ['diff ks apps --github-ref 42 --kubeconfig /etc/kube', /Unknown option `--kubeconfig`/],
    ['diff ks apps --github-ref 42 --cluster', /needs a value/],
    ['diff ks Apps_1 --github-ref 42', /not a valid Kustomization name/],
    ['diff ks apps --github-ref https://github.com/acme/fleet/issues/3', /not a pull request URL/],
    ['diff ks apps --github-ref ../../etc', /not a valid branch name/],
    ['diff ks apps --github-ref 42; rm -rf /', /shell metacharacters/],
    ['diff ks apps --github-ref $(whoami)', /shell metacharacters/],
    ['promote podinfo to prod', /Usage: `\/flux promote APP@VERSION to ENV`/],
    ['rollback podinfo prod', /Usage: `\/flux rollback APP on ENV`/],
    ['diff prod stage', /takes one environment/],
    ['delete ks x', /not allowed from Slack[\s\S]*\/flux get kustomizations/],
    ['install', /not allowed from Slack/],
    ['uninstall --silent', /not allowed from Slack/],
    ['bootstrap github --owner acme', /not allowed from Slack/],
    ['create source git x --url https://x', /not allowed from Slack/],
    ['get ks; rm -rf /', /shell metacharacters/],
    ['get ks && rm -rf /', /shell metacharacters/],
    ['get ks $(whoami)', /shell metacharacters/],
    ['get ks `id`', /shell metacharacters/],
    ["get ks 'apps'", /shell metacharacters or quotes/],
    ['get ks\nreconcile ks apps', /line breaks/],
    ['get ks --kubeconfig=/tmp/x', /`--kubeconfig` is refused/],
    ['get ks --context prod', /`--context` is refused/],
    ['get ks --server https://evil', /`--server` is refused/],
    ['reconcile ks apps --as system:admin', /`--as` is refused/],
    ['get ks --as-group system:masters', /`--as-group` is refused/],
    ['get ks --client-key /k', /`--client-key` is refused/],
    ['get ks --certificate-authority /ca', /refused/],
    ['get ks -w', /a watch never ends/],
    ['get ks --status-selector ready=false', /Unknown option `--status-selector`/],
    ['get ks -n a -A', /give one of the two/],
    ['reconcile ks', /Which Kustomization\?/],
    ['suspend source git podinfo', /takes `ks` or `hr`/],
    ['get ks Apps_1', /not a valid Kustomization name/],
    ['get pods', /not a kind/],
    ['events --for Pod/x', /must be `Kind\/NAME`/],
  ])('refuses `/flux %s` and says what would work', (text, message) => {
    expect(() => parseCommand(text)).toThrow(CommandError);
    expect(() => parseCommand(text)).toThrow(message);
  });

  it.each([
    ['promte', 'promote'],
    ['lst', 'list'],
    ['rollbak', 'rollback'],
  ])('answers the unknown `%s` with the closest command `%s`', (word, suggestion) => {
    // Act
    const error = (() => {
      try {
        parseCommand(`${word} podinfo`);
      } catch (err) {
        return err;
      }
      return undefined;
    })();

    // Assess
    expect(error).toBeInstanceOf(UnknownCommand);
    expect((error as UnknownCommand).suggestion).toBe(suggestion);
    expect((error as Error).message).toContain(`/flux ${suggestion}`);
  });

  it('suggests nothing for a word that resembles no command', () => {
    expect(() => parseCommand('frobnicate github')).toThrow(/is not a Fluxline command\. Try/);
  });
});
