import * as z from '../../core/validation';
import { clusterInputSchema } from '../jobs';
import { escapeMrkdwn, inlineCode, mrkdwnLink, replyInPlace, type SlackPort } from '../../adapters/slack';
import { maskSecrets } from '../../core/sanitise';
import type { JobRecord } from '../../adapters/store';
import { PromoteRefused, VersionNeedsChoice } from './errors';
import { ACTIONS, type KnownBlock } from '../../adapters/slack';
import { encodeAction } from '../../core/commands';
import { rollOut, type RolloutDeps, type RolloutResult } from './rollout';
import { auditJob } from './audit-job';

import { PROMOTE_JOB_KINDS } from './job-kinds';

const clustersSchema = z.array(clusterInputSchema);
export const promoteInputsSchema = z.object({ app: z.string(), version: z.string(), environment: z.string(), clusters: z._default(clustersSchema, []), as: z.optional(z.enum(['chart', 'app', 'image'])) });
export const rollbackInputsSchema = z.object({ app: z.string(), environment: z.string(), clusters: z._default(clustersSchema, []) });

export interface PromoteJobDeps extends RolloutDeps {
  slack: SlackPort;
}

function targetOf(job: JobRecord, version?: string): string {
  const { app, environment } = job.inputs as { app?: string; environment?: string };
  return version ? `${String(app)}@${version} to ${String(environment)}` : `${String(app)} on ${String(environment)}`;
}

/** Runs a promote or rollback job; every outcome, refusals included, is audited with who, where and what. */
export async function executePromoteJob(deps: RolloutDeps, job: JobRecord): Promise<{ outcome: Record<string, unknown> }> {
  const promote = job.kind === PROMOTE_JOB_KINDS.promote;
  const inputs = promote ? promoteInputsSchema.parse(job.inputs) : { ...rollbackInputsSchema.parse(job.inputs), version: undefined };
  let result: RolloutResult;
  try {
    result = await rollOut(deps, {
      jobId: job.id,
      action: promote ? 'promote' : 'rollback',
      app: inputs.app,
      environment: inputs.environment,
      ...(inputs.version ? { version: inputs.version } : {}),
      ...('as' in inputs && inputs.as ? { as: inputs.as } : {}),
      requester: job.requester,
      clusters: inputs.clusters,
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await auditJob(deps, job, err instanceof PromoteRefused ? 'refused' : 'failed', targetOf(job, inputs.version), message);
    // Not a failure: the answer is a question. The readings stay with the job, where a button finds them.
    if (err instanceof VersionNeedsChoice) return { outcome: { kind: 'needs-choice', app: inputs.app, version: inputs.version ?? '', environment: inputs.environment, message, choices: err.choices } };
    throw err;
  }
  const detail = result.kind === 'unchanged' ? `already at ${result.version} (${result.path})` : result.kind === 'commit' ? result.commitUrl : result.prUrl;
  await auditJob(deps, job, 'succeeded', targetOf(job, result.version), detail);
  return { outcome: { ...result } };
}

/**
 * The edited line carries an image policy marker: image-automation-controller writes the policy's pick
 * back on its next run, which undoes a rollback (and overtakes a promote to an older tag).
 */
function automationWarning(result: RolloutResult): string {
  const markers = result.automation ?? [];
  if (markers.length === 0) return '';
  const policies = markers.map((m) => inlineCode(m.policy)).join(', ');
  const [namespace = 'flux-system', name = ''] = (markers[0]?.policy ?? '').split(':');
  const automations = markers.flatMap((m) => m.automations ?? []);
  const active = automations.filter((a) => !a.suspended);
  const undo = result.action === 'rollback' ? ', undoing this rollback' : '';
  if (automations.length > 0 && active.length === 0) {
    return `:information_source: The edited line carries the image policy marker ${policies}; its ImageUpdateAutomation ${automations.map((a) => inlineCode(`${a.namespace}/${a.name}`)).join(', ')} is suspended, so it will not rewrite it until resumed.`;
  }
  const who = active.length > 0 ? `the ImageUpdateAutomation ${active.map((a) => inlineCode(`${a.namespace}/${a.name}`)).join(', ')}` : 'the ImageUpdateAutomation that watches this file';
  const suspend = active[0] ? `\`flux suspend image update ${escapeMrkdwn(active[0].name)} -n ${escapeMrkdwn(active[0].namespace)}\`` : `\`flux suspend image update NAME -n ${escapeMrkdwn(namespace)}\``;
  const pin = result.kind === 'unchanged' ? `pin the ImagePolicy ${inlineCode(name)} to this version` : 'pin this version on its line (the *Pin* button: a commit that turns the marker into a comment image automation does not read)';
  // The pick as image-reflector-controller reports it now: what the next run would write (it may pick newer by then).
  const writes = markers.length === 1 && markers[0]?.writes ? markers[0].writes : undefined;
  if (writes && writes.value === (result.written ?? result.version)) {
    return `:information_source: The edited line carries the image policy marker ${policies}; the ImagePolicy ${inlineCode(`${namespace}/${name}`)} picks ${inlineCode(writes.value)} too, so image automation leaves the line as it is until the policy picks another tag.`;
  }
  const what = writes
    ? `the ImagePolicy ${inlineCode(`${namespace}/${name}`)}'s latest pick ${inlineCode(writes.value)}${writes.value === writes.image ? '' : ` (${escapeMrkdwn(writes.image)})`}`
    : "the policy's latest tag";
  return `:warning: The edited line carries the image policy marker ${policies}: ${who} will write ${what} back on its next run${undo}. To keep it, suspend the automation (${active.length > 0 ? 'the button below, admins, audited; or ' : ''}${suspend}), or ${pin}.`;
}

/** Every automation the answer named, in order: a button's index points into this list. */
export function automationsOf(result: Pick<RolloutResult, 'automation'>): { namespace: string; name: string; suspended: boolean }[] {
  return (result.automation ?? []).flatMap((marker) => marker.automations ?? []);
}

/** One "Suspend" button per running automation that would rewrite the edited line. */
function suspendButtons(job: JobRecord, result: RolloutResult) {
  return automationsOf(result).flatMap((automation, index) =>
    automation.suspended || index > 9
      ? []
      : [
          {
            type: 'button' as const,
            action_id: `${ACTIONS.suspendAutomation}:${index}`,
            text: { type: 'plain_text' as const, text: `Suspend ${automation.namespace}/${automation.name}`.slice(0, 75) },
            value: encodeAction({ type: 'suspend-automation', jobId: job.id, automation: index }),
          },
        ],
  );
}

/**
 * One "Pin" button per marker on a line the job committed, unless every automation that would rewrite it
 * is already suspended: the value names the job and the marker's index, nothing else.
 */
function pinButtons(job: JobRecord, result: RolloutResult) {
  if (result.kind === 'unchanged') return [];
  return (result.automation ?? []).flatMap((marker, index) => {
    const automations = marker.automations ?? [];
    if (index > 9 || (automations.length > 0 && automations.every((automation) => automation.suspended))) return [];
    return [
      {
        type: 'button' as const,
        action_id: `${ACTIONS.pinPolicy}:${index}`,
        text: { type: 'plain_text' as const, text: `Pin ${result.written ?? result.version} (${marker.policy})`.slice(0, 75) },
        value: encodeAction({ type: 'pin-policy', jobId: job.id, marker: index }),
      },
    ];
  });
}

function successText(job: JobRecord, result: RolloutResult): string {
  const what = `${inlineCode(result.app)} on ${inlineCode(result.environment)}`;
  if (result.kind === 'unchanged') return `:information_source: ${what} is already at ${inlineCode(result.version)} in \`${result.path}\`: nothing to commit.`;
  const verb = result.action === 'promote' ? 'promoted' : 'rolled back';
  const to = result.written ? `${inlineCode(result.written)} (the chart that ships app version ${inlineCode(result.version)})` : inlineCode(result.version);
  const change = `${verb} ${what} from ${inlineCode(result.from)} to ${to}`;
  const following = result.following ? ':hourglass_flowing_sand: Reconciling: this message will say when Flux reports it deployed.' : '';
  const warning = automationWarning(result);
  if (result.kind === 'commit') {
    return [`:rocket: <@${job.requester.user}> ${change}: committed ${mrkdwnLink(result.commitUrl, result.commitSha.slice(0, 7))} to \`${result.branch}\` (\`${result.path}\`).`, following, warning].filter(Boolean).join('\n');
  }
  const merge = result.following ? ':hourglass_flowing_sand: Merge it to deploy: this message will say when Flux reports it deployed.' : 'Merge it to deploy.';
  return [`:rocket: <@${job.requester.user}> ${change}: opened ${mrkdwnLink(result.prUrl, `pull request #${result.prNumber}`)} (\`${result.path}\`).`, merge, warning].filter(Boolean).join('\n');
}

interface NeedsChoice {
  kind: 'needs-choice';
  app: string;
  version: string;
  environment: string;
  message: string;
  choices: { reading: string; write: string; why: string }[];
}

/** The question, with one button per reading; each names this job and the reading's index, nothing else. */
function choiceMessage(job: JobRecord, asked: NeedsChoice): { text: string; blocks: KnownBlock[] } {
  const text = `:question: <@${job.requester.user}> ${escapeMrkdwn(asked.message)}`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'actions',
        elements: asked.choices.slice(0, 5).map((choice, index) => ({
          type: 'button' as const,
          action_id: `${ACTIONS.promoteChoice}:${index}`,
          text: { type: 'plain_text' as const, text: `${choice.reading === 'image' ? 'Image tag' : 'Chart'} ${choice.write}`.slice(0, 75) },
          value: encodeAction({ type: 'promote-choice', jobId: job.id, choice: index }),
        })),
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Only admins may choose, from a channel that may use this environment; the choice is audited like the command.' }] },
    ],
  };
}

/** Replaces the "running…" message: committed (with the link) and reconciling, or why nothing was committed. */
export async function reportPromoteJob(deps: { slack: SlackPort }, job: JobRecord): Promise<void> {
  if (job.status === 'failed') {
    const verb = job.kind === PROMOTE_JOB_KINDS.promote ? 'Promote' : 'Rollback';
    const target = job.kind === PROMOTE_JOB_KINDS.promote ? targetOf(job, String(job.inputs.version)) : targetOf(job);
    await replyInPlace(deps.slack, job.requester, { text: `:x: ${verb} of ${inlineCode(target)} failed: ${escapeMrkdwn(maskSecrets(job.error ?? 'unknown error'))}` });
    return;
  }
  if (job.outcome?.kind === 'needs-choice') {
    await replyInPlace(deps.slack, job.requester, choiceMessage(job, job.outcome as unknown as NeedsChoice));
    return;
  }
  const result = job.outcome as unknown as RolloutResult;
  const text = successText(job, result);
  const buttons = [...suspendButtons(job, result), ...pinButtons(job, result)];
  await replyInPlace(deps.slack, job.requester, buttons.length > 0 ? { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }, { type: 'actions', elements: buttons }] } : { text });
}
