import { CommandError, helpText, parseCommand, type Command } from '../commands';
import { findRepositoryRule } from '../notices';
import { requestDiff, type RequestDiffDeps } from './request-diff';
import type { SlashCommand } from './slack-payloads';

/** What Slack shows in answer to a slash command: the HTTP response body (DESIGN: ack within 3 s). */
export interface SlackReply {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
}

const ephemeral = (text: string): SlackReply => ({ response_type: 'ephemeral', text });

type DiffCommand = Extract<Command, { kind: 'diff-kustomization' }>;

/** Which repository and PR a `--github-ref` names; a bare number or branch needs exactly one configured repository. */
function pullRequestOf(deps: RequestDiffDeps, command: DiffCommand): { repository: string; number: number } | string {
  const ref = command.githubRef;
  if (ref.type === 'pr-url') return { repository: `${ref.owner}/${ref.repo}`, number: ref.number };
  const repositories = deps.config.repositories.map((r) => r.name);
  if (repositories.length !== 1) {
    return `Several repositories are configured (${repositories.join(', ')}): give the PR as a URL, e.g. \`--github-ref https://github.com/${repositories[0] ?? 'owner/repo'}/pull/42\`.`;
  }
  if (ref.type === 'branch') return `Diffing a branch is not supported yet: open a PR for \`${ref.name}\` and pass its number.`;
  return { repository: repositories[0] ?? '', number: ref.number };
}

/** The cluster a diff runs on: the one given, else the repository's only diff target for that Kustomization. */
function clusterOf(deps: RequestDiffDeps, command: DiffCommand, repository: string): string | undefined {
  if (command.cluster) return command.cluster;
  const targets = findRepositoryRule(deps.config.repositories, repository)?.diffs.filter((d) => d.kustomization === `${command.namespace}/${command.name}`) ?? [];
  return targets.length === 1 ? targets[0]?.cluster : undefined;
}

export async function handleSlashCommand(deps: RequestDiffDeps, slash: SlashCommand): Promise<SlackReply> {
  let command: Command;
  try {
    command = parseCommand(slash.text);
  } catch (err) {
    if (err instanceof CommandError) return ephemeral(err.message);
    throw err;
  }

  switch (command.kind) {
    case 'help':
      return ephemeral(helpText(command.topic));
    case 'diff-kustomization': {
      const pr = pullRequestOf(deps, command);
      if (typeof pr === 'string') return ephemeral(pr);
      const cluster = clusterOf(deps, command, pr.repository);
      if (!cluster) return ephemeral(`Which cluster? Add \`--cluster <name>\`; known clusters: ${Object.keys(deps.config.clusters).map((c) => `\`${c}\``).join(', ')}.`);
      const kustomization = `${command.namespace}/${command.name}`;
      const result = await requestDiff(deps, { requestKey: `command:${slash.trigger_id}`, user: slash.user_id, channel: slash.channel_id, ...pr, kustomization, cluster });
      if (result.status === 'queued') {
        return { response_type: 'in_channel', text: `:hourglass_flowing_sand: Diff of \`${kustomization}\` on \`${cluster}\` for ${pr.repository}#${pr.number} queued by <@${slash.user_id}>.` };
      }
      if (result.status === 'already-running') return ephemeral(`That diff is already queued or running (job \`${result.jobId}\`); its report will appear here.`);
      return ephemeral(result.reason);
    }
    default:
      return ephemeral(`\`/flux ${slash.text.trim().split(/\s+/)[0] ?? ''}\` is understood but not available in this version of Fluxline yet. Try \`/flux help\`.`);
  }
}
