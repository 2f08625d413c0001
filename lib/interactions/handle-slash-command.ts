import { CommandError, helpText, parseCommand, UnknownCommand, type Command } from '../commands';
import { findRepositoryRule } from '../config';
import { inlineCodeList } from '../slack';
import { deploymentHistoryText } from '../deploys';
import { channelMayUseCluster } from './authorize';
import { requestDay2Command, type Day2Deps } from './request-day2';
import { requestDiff, type RequestDiffDeps } from './request-diff';
import { answerFluxCliCommand, type RequestFluxCliDeps } from './request-flux-cli';
import type { SlashCommand } from './slack-payloads';

/** What Slack shows in answer to a slash command: the HTTP response body (DESIGN: ack within 3 s). */
export interface SlackReply {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
}

const ephemeral = (text: string): SlackReply => ({ response_type: 'ephemeral', text });

type DiffCommand = Extract<Command, { kind: 'diff-kustomization' }>;

/**
 * Which repository and PR a `--github-ref` names. A URL says it; a bare number needs the repository,
 * taken from the diff targets: the repositories that list this Kustomization (on this cluster, if given).
 */
function pullRequestOf(deps: RequestDiffDeps, command: DiffCommand): { repository: string; number: number } | string {
  const ref = command.githubRef;
  if (ref.type === 'pr-url') return { repository: `${ref.owner}/${ref.repo}`, number: ref.number };
  if (ref.type === 'branch') return `Diffing a branch is not supported yet: open a PR for \`${ref.name}\` and pass its number or URL.`;
  const kustomization = `${command.namespace}/${command.name}`;
  const candidates = deps.config.repositories
    .filter((repo) => repo.diffs.some((d) => d.kustomization === kustomization && (!command.cluster || d.cluster === command.cluster)))
    .map((repo) => repo.name);
  const [only] = candidates;
  if (candidates.length === 1 && only) return { repository: only, number: ref.number };
  const example = `--github-ref https://github.com/${candidates[0] ?? deps.config.repositories[0]?.name ?? 'owner/repo'}/pull/${ref.number}`;
  if (candidates.length === 0) {
    return `No configured repository diffs \`${kustomization}\`${command.cluster ? ` on \`${command.cluster}\`` : ''}: add it to \`repositories[].diffs\` in config.yaml, or check the name (\`-n\` sets the namespace, default flux-system).`;
  }
  return `\`${kustomization}\` is diffed for several repositories (${candidates.join(', ')}): give the PR as a URL, e.g. \`${example}\`.`;
}

/** The cluster a diff runs on: the one given, else the repository's only diff target for that Kustomization. */
function clusterOf(deps: RequestDiffDeps, command: DiffCommand, repository: string): string | undefined {
  if (command.cluster) return command.cluster;
  const targets = findRepositoryRule(deps.config.repositories, repository)?.diffs.filter((d) => d.kustomization === `${command.namespace}/${command.name}`) ?? [];
  return targets.length === 1 ? targets[0]?.cluster : undefined;
}

/** null: the command answers with a message of its own in the channel, and Slack gets an empty 200. */
export async function handleSlashCommand(deps: RequestDiffDeps & Day2Deps & RequestFluxCliDeps, slash: SlashCommand): Promise<SlackReply | null> {
  let command: Command;
  try {
    command = parseCommand(slash.text);
  } catch (err) {
    // A word we do not know: the nearest command, and the whole grammar to pick from.
    if (err instanceof UnknownCommand) return ephemeral(`${err.message}\n\n${helpText()}`);
    if (err instanceof CommandError) return ephemeral(err.message);
    throw err;
  }

  switch (command.kind) {
    case 'help':
      return ephemeral(helpText(command.topic));
    case 'diff-kustomization': {
      // A channel bound to other clusters hears that first: it is the answer that tells them where to go.
      const bound = command.cluster ? channelMayUseCluster(deps.config, slash.channel_id, command.cluster) : undefined;
      if (bound && !bound.allowed) return ephemeral(bound.reason);
      const pr = pullRequestOf(deps, command);
      if (typeof pr === 'string') return ephemeral(pr);
      const cluster = clusterOf(deps, command, pr.repository);
      if (!cluster) return ephemeral(`Which cluster? Add \`--cluster <name>\`; known clusters: ${inlineCodeList(Object.keys(deps.config.clusters))}.`);
      const kustomization = `${command.namespace}/${command.name}`;
      const result = await requestDiff(deps, { requestKey: `command:${slash.trigger_id}`, user: slash.user_id, ...(slash.user_name ? { userName: slash.user_name } : {}), channel: slash.channel_id, ...pr, kustomization, cluster });
      if (result.status === 'queued') {
        return { response_type: 'in_channel', text: `:hourglass_flowing_sand: Diff of \`${kustomization}\` on \`${cluster}\` for ${pr.repository}#${pr.number} queued by <@${slash.user_id}>.` };
      }
      if (result.status === 'already-running') return ephemeral(`That diff is already queued or running (job \`${result.jobId}\`); its report will appear here.`);
      return ephemeral(result.reason);
    }
    case 'history':
      return ephemeral(await deploymentHistoryText(deps, command));
    case 'list':
    case 'diff-environment':
    case 'promote':
    case 'rollback': {
      const reply = await requestDay2Command(deps, slash, command);
      return reply ? ephemeral(reply.text) : null;
    }
    case 'flux-cli':
      return answerFluxCliCommand(deps, slash, command.command);
    default:
      return ephemeral(`\`/flux ${slash.text.trim().split(/\s+/)[0] ?? ''}\` is understood but not available in this version of Fluxline yet. Try \`/flux help\`.`);
  }
}
