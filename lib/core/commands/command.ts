import type { FluxCliCommand } from './flux-cli';

/** Where the PR code of a diff comes from, as typed after `--github-ref`. */
export type GithubRef =
  | { type: 'pr-number'; number: number }
  | { type: 'pr-url'; owner: string; repo: string; number: number }
  | { type: 'branch'; name: string };

/** Flux CLI verbs a user may run from Slack (issue: Flux CLI from Slack); everything else is refused. */
export const FLUX_CLI_VERBS = ['get', 'reconcile', 'suspend', 'resume', 'tree', 'events'] as const;
export type FluxCliVerb = (typeof FLUX_CLI_VERBS)[number];

/** A slash command, typed: what the user asked for, before anyone checks whether they may. */
export type Command =
  | { kind: 'help'; topic?: string }
  | { kind: 'diff-kustomization'; name: string; namespace: string; githubRef: GithubRef; cluster?: string }
  | { kind: 'diff-environment'; environment: string }
  | { kind: 'list'; app?: string }
  | { kind: 'promote'; app: string; version: string; environment: string }
  | { kind: 'rollback'; app: string; environment: string }
  | { kind: 'history'; app: string; environment?: string }
  | { kind: 'flux-cli'; command: FluxCliCommand };

export type CommandKind = Command['kind'];

/** One value for each flux CLI verb: each verb is an executor of its own, and they share a grammar, a plan and an execute. */
export const eachFluxCliVerb = <T>(value: T) => ({ get: value, reconcile: value, suspend: value, resume: value, tree: value, events: value }) satisfies Record<FluxCliVerb, T>;
