import { describe, expect, it } from 'vitest';
import { CommandError, parseCommand, UnknownCommand } from '../../lib/commands';

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
    ['get ks -A', { kind: 'flux-cli', verb: 'get', args: ['ks', '-A'] }],
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
    expect(() => parseCommand('bootstrap github')).toThrow(/is not a Fluxline command\. Try/);
  });
});
