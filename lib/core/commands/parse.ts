import { GRAMMAR_BUILTINS, type GrammarBuiltinName } from '../executors/builtin-meta';
import type { Command, FluxCliVerb, GithubRef } from './command';
import { CLUSTER_NAME, DNS1123_LABEL, DNS1123_SUBDOMAIN, parseFluxCli, REFUSED_FLUX_VERBS, refuseFluxVerb, splitQualifiedName } from './flux-cli';
import { CommandError, UnknownCommand } from './errors';
import { closest } from './closest';
import { parseFlags, tokenize } from './tokenize';
import { echo } from './echo';

/** App words. Environments are cluster names, checked with config.yaml's cluster grammar. */
const WORD = /^[A-Za-z0-9][\w.-]{0,62}$/;
const VERSION = /^v?[0-9A-Za-z][\w.+-]{0,127}$/;
/** A git branch name as GitHub accepts it, minus the forms that could be read as flags or paths out. */
const BRANCH = /^(?!-)(?!.*\.\.)[\w./-]{1,200}$/;

export const COMMAND_WORDS = GRAMMAR_BUILTINS;

function need(value: string | undefined, what: string, usage: string): string {
  if (!value) throw new CommandError(`Missing ${what}. Usage: \`${usage}\``);
  return value;
}

function checked(value: string, pattern: RegExp, what: string): string {
  if (!pattern.test(value)) throw new CommandError(`${echo(value)} is not a valid ${what}.`);
  return value;
}

export function parseGithubRef(raw: string): GithubRef {
  const number = /^#?(\d{1,9})$/.exec(raw);
  if (number) return { type: 'pr-number', number: Number(number[1]) };
  const url = /^https?:\/\/[^/\s]+\/([\w.-]+)\/([\w.-]+)\/pull\/(\d{1,9})(?:[/?#].*)?$/.exec(raw);
  if (url) return { type: 'pr-url', owner: url[1] ?? '', repo: url[2] ?? '', number: Number(url[3]) };
  if (/^https?:/.test(raw)) throw new CommandError(`${echo(raw)} is not a pull request URL (https://github.com/owner/repo/pull/42).`);
  return { type: 'branch', name: checked(raw, BRANCH, 'branch name') };
}

const DIFF_KS_USAGE = '/flux diff ks NAME --github-ref <PR number|PR URL|branch> [--cluster C] [-n NS]';

function parseDiff(words: string[]): Extract<Command, { kind: 'diff-kustomization' | 'diff-environment' }> {
  const [target, ...rest] = words;
  if (target === 'ks' || target === 'kustomization' || target === 'kustomizations') {
    const { positional, flags } = parseFlags(rest, { valued: { '--github-ref': 'github-ref', '--cluster': 'cluster', '-n': 'namespace', '--namespace': 'namespace' } });
    if (positional.length > 1) throw new CommandError(`Unexpected ${echo(positional[1] ?? '')}. Usage: \`${DIFF_KS_USAGE}\``);
    const qualified = need(positional[0], 'the Kustomization name', DIFF_KS_USAGE);
    // `flux-system/apps` is accepted as a shorthand for `apps -n flux-system`.
    const { namespace: nsFromName, name: nameFromName } = splitQualifiedName(qualified);
    const namespace = String(flags.get('namespace') ?? nsFromName ?? 'flux-system');
    const ref = flags.get('github-ref');
    if (typeof ref !== 'string') throw new CommandError(`Which PR? Add \`--github-ref <PR number|PR URL|branch>\`. Usage: \`${DIFF_KS_USAGE}\``);
    const cluster = flags.get('cluster');
    return {
      kind: 'diff-kustomization',
      name: checked(nameFromName, DNS1123_SUBDOMAIN, 'Kustomization name'),
      namespace: checked(namespace, DNS1123_LABEL, 'namespace'),
      githubRef: parseGithubRef(ref),
      ...(typeof cluster === 'string' ? { cluster: checked(cluster, CLUSTER_NAME, 'cluster name') } : {}),
    };
  }
  const environment = need(target, 'what to diff', `${DIFF_KS_USAGE}  or  /flux diff <env>`);
  if (rest.length > 0) throw new CommandError(`\`/flux diff <env>\` takes one environment, e.g. \`/flux diff prod\`. To diff a PR: \`${DIFF_KS_USAGE}\``);
  return { kind: 'diff-environment', environment: checked(environment, CLUSTER_NAME, 'environment') };
}

function parsePromote(words: string[]): Extract<Command, { kind: 'promote' }> {
  const usage = '/flux promote APP@VERSION to ENV';
  const [spec, to, environment, ...extra] = words;
  const [app, version, ...more] = need(spec, 'APP@VERSION', usage).split('@');
  if (!app || !version || more.length || to !== 'to' || !environment || extra.length) throw new CommandError(`Usage: \`${usage}\`, e.g. \`/flux promote podinfo@6.5.4 to prod\``);
  return { kind: 'promote', app: checked(app, WORD, 'app name'), version: checked(version, VERSION, 'version'), environment: checked(environment, CLUSTER_NAME, 'environment') };
}

function parseRollback(words: string[]): Extract<Command, { kind: 'rollback' }> {
  const usage = '/flux rollback APP on ENV';
  const [app, on, environment, ...extra] = words;
  if (!app || on !== 'on' || !environment || extra.length) throw new CommandError(`Usage: \`${usage}\`, e.g. \`/flux rollback podinfo on prod\``);
  return { kind: 'rollback', app: checked(app, WORD, 'app name'), environment: checked(environment, CLUSTER_NAME, 'environment') };
}

function parseHistory(words: string[]): Extract<Command, { kind: 'history' }> {
  const usage = '/flux history APP [on ENV]';
  const [app, on, environment, ...extra] = words;
  if (!app || extra.length || (on !== undefined && (on !== 'on' || !environment))) throw new CommandError(`Usage: \`${usage}\``);
  return { kind: 'history', app: checked(app, WORD, 'app name'), ...(environment ? { environment: checked(environment, CLUSTER_NAME, 'environment') } : {}) };
}

function parseList(words: string[]): Extract<Command, { kind: 'list' }> {
  if (words.length > 1) throw new CommandError('Usage: `/flux list [APP]`');
  return { kind: 'list', ...(words[0] ? { app: checked(words[0], WORD, 'app name') } : {}) };
}

const fluxCli =
  (verb: FluxCliVerb) =>
  (words: string[], text: string): Extract<Command, { kind: 'flux-cli' }> => ({ kind: 'flux-cli', command: parseFluxCli(verb, words, text) });

/** Each built-in of the grammar reads the words after its name into its typed command; every refusal says what would work. */
export const GRAMMAR = {
  help: (words: string[]): Extract<Command, { kind: 'help' }> => ({ kind: 'help', ...(words[0] ? { topic: words[0].toLowerCase() } : {}) }),
  diff: parseDiff,
  list: parseList,
  promote: parsePromote,
  rollback: parseRollback,
  history: parseHistory,
  get: fluxCli('get'),
  reconcile: fluxCli('reconcile'),
  suspend: fluxCli('suspend'),
  resume: fluxCli('resume'),
  tree: fluxCli('tree'),
  events: fluxCli('events'),
} satisfies Record<GrammarBuiltinName, (words: string[], text: string) => Command>;

export type CommandOf<Name extends GrammarBuiltinName> = ReturnType<(typeof GRAMMAR)[Name]>;

/** The built-in the first word of a command names, and the words after it; a refused flux verb or an unknown word throws. */
export function splitCommand(text: string): { name: GrammarBuiltinName; words: string[] } {
  const [word = 'help', ...words] = tokenize(text);
  const name = word.toLowerCase();
  if ((GRAMMAR_BUILTINS as readonly string[]).includes(name)) return { name: name as GrammarBuiltinName, words };
  if ((REFUSED_FLUX_VERBS as readonly string[]).includes(name)) throw refuseFluxVerb(name);
  throw new UnknownCommand(word, closest(name, COMMAND_WORDS));
}

/** Slash-command text (after `/flux`) to a typed command. */
export function parseCommand(text: string): Command {
  const { name, words } = splitCommand(text);
  return GRAMMAR[name](words, text);
}
