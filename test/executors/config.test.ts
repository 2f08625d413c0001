import { describe, expect, it } from 'vitest';
import { InvalidConfig, parseConfig } from '../../lib/core/config';
import { configProblemsOf } from '../helpers/config-problems';
import { parseConfig as parseForIngress } from '../../lib/core/config/parse-config';

const base = (executors: string, bindings = '[echo-bold, kubectl-read]') => `
slack:
  channel: C0FLUX
  channels:
    C0STAGE: { clusters: [stage], executors: ${bindings} }
clusters:
  stage: { kubeconfig: { ssm: /fluxline/kubeconfig/stage } }
executors:
${executors}
`;

const ISSUE_EXAMPLE = `
  echo-bold:    { use: echo, config: { formatOptions: [bold] } }
  kubectl-read: { use: kubectl, config: { verbs: [get, describe, logs], resources: [deployments, pods, services], namespaces: [podinfo] } }`;


describe('executors in config.yaml', () => {
  it('accepts the issue example and keeps each channel binding in order', () => {
    // Act
    const config = parseConfig(base(ISSUE_EXAMPLE), 'config.yaml');

    // Assess
    expect(config.executors['kubectl-read']).toEqual({ use: 'kubectl', config: { verbs: ['get', 'describe', 'logs'], resources: ['deployments', 'pods', 'services'], namespaces: ['podinfo'] } });
    expect(config.slack.channels.C0STAGE?.executors).toEqual(['echo-bold', 'kubectl-read']);
  });

  it("validates each configuration against its executor's schema, naming the path of every bad key", () => {
    const problems = configProblemsOf(
      base(`
  echo-bold:    { use: echo, config: { formatOptions: [underline], colour: red } }
  kubectl-read: { use: kubectl, config: { verbs: [get, delete], resources: [pods, secrets], namespaces: [Bad_NS] } }`),
    );

    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^executors\.echo-bold\.config\.formatOptions\.0: /),
        expect.stringMatching(/^executors\.echo-bold\.config: .*colour/),
        expect.stringMatching(/^executors\.kubectl-read\.config\.verbs\.1: /),
        expect.stringMatching(/^executors\.kubectl-read\.config\.resources\.1: /),
        expect.stringMatching(/^executors\.kubectl-read\.config\.namespaces\.0: must be a Kubernetes namespace name/),
      ]),
    );
  });

  it('leaves the executors’ own schemas to the consumers: the Slack ingress checks names, built-ins and bindings only', () => {
    // Prepare: a bad kubectl configuration, which only kubectl's schema sees
    const text = base(`
  echo-bold:    { use: echo }
  kubectl-read: { use: kubectl, config: { verbs: [delete], resources: [pods], namespaces: [podinfo] } }`);

    // Act / Assess: the ingress reads it (it routes by names and bindings, and runs no executor) …
    expect(parseForIngress(text, 'config.yaml').executors['kubectl-read']?.use).toBe('kubectl');
    // … every other function refuses it, with the path of the bad key
    expect(configProblemsOf(text)).toEqual([expect.stringMatching(/^executors\.kubectl-read\.config\.verbs\.0: /)]);
    // and an unknown built-in or binding is refused by both
    expect(() => parseForIngress(base(`  echo-bold: { use: shell }`, '[echo-bold, nope]'), 'config.yaml')).toThrow(InvalidConfig);
  });

  it('refuses a binding to an executor that is not configured, and an unknown built-in', () => {
    const problems = configProblemsOf(base(`  echo-bold: { use: shell }`, '[echo-bold, nope]'));

    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^executors\.echo-bold\.use: /), expect.stringMatching(/^slack\.channels\.C0STAGE\.executors\.1: unknown executor "nope"/)]));
  });

  it.each(['get', 'help', 'promote', 'delete'])('refuses an executor named like the command word %s', (word) => {
    expect(configProblemsOf(base(`  ${word}: { use: echo }`, '[]'))).toEqual([expect.stringMatching(new RegExp(`^executors\\.${word}: .*command word`))]);
  });

  it.each(['__proto__', 'constructor', 'toString'])('never takes the prototype key %s for a configured executor', (name) => {
    // A binding to a prototype key must be an unknown executor, not Object.prototype's member.
    expect(configProblemsOf(base(`  echo-bold: { use: echo }`, `[echo-bold, ${name}]`))).toEqual([expect.stringMatching(/^slack\.channels\.C0STAGE\.executors\.1: unknown executor/)]);
  });

  it('accepts the http form of the issue', () => {
    const config = parseConfig(base(`  runbooks: { http: { url: https://runbooks.internal/fluxline, secret: { ssm: /fluxline/executors/runbooks } } }`, '[runbooks]'), 'config.yaml');

    expect(config.executors.runbooks?.http).toEqual({ url: 'https://runbooks.internal/fluxline', secret: { ssm: '/fluxline/executors/runbooks' }, mutating: true });
  });

  it('refuses an http executor that is not https', () => {
    const problems = configProblemsOf(base(`  runbooks: { http: { url: http://runbooks.internal/fluxline, secret: { ssm: /x } } }`, '[runbooks]'));

    expect(problems.some((p) => p.startsWith('executors.runbooks'))).toBe(true);
  });
});
