import * as z from '../../core/validation';
import { clusterInputSchema } from '../jobs';
import { escapeMrkdwn, inlineCode, replyInPlace, type SlackPort } from '../../adapters/slack';
import { maskSecrets } from '../../core/sanitise';
import type { JobRecord } from '../../adapters/store';
import { diffEnvironment, environmentDiffMessage, type EnvironmentDiff } from './environment-diff';
import { listMessage } from './list-message';
import { readVersions, type ClusterReading, type VersionsDeps } from './read-versions';

import { VERSIONS_JOB_KINDS } from './job-kinds';

const clustersSchema = z.array(clusterInputSchema).check(z.minLength(1));
export const listInputsSchema = z.object({ app: z.optional(z.string()), clusters: clustersSchema });
export const environmentDiffInputsSchema = z.object({ environment: z.string(), clusters: clustersSchema });
export type ListInputs = z.infer<typeof listInputsSchema>;
export type EnvironmentDiffInputs = z.infer<typeof environmentDiffInputsSchema>;

export interface VersionsJobDeps extends VersionsDeps {
  slack: SlackPort;
}

export async function executeListJob(deps: VersionsDeps, job: JobRecord): Promise<{ outcome: Record<string, unknown> }> {
  const inputs = listInputsSchema.parse(job.inputs);
  const readings = await readVersions(deps, inputs.clusters, inputs.app ? { app: inputs.app } : {});
  return { outcome: { readings } };
}

/** Fails (and says why) when the environment itself cannot be read: a diff against nothing would mislead. */
export async function executeEnvironmentDiffJob(deps: VersionsDeps, job: JobRecord): Promise<{ outcome: Record<string, unknown> }> {
  const inputs = environmentDiffInputsSchema.parse(job.inputs);
  const readings = await readVersions(deps, inputs.clusters);
  const diff = diffEnvironment(inputs.environment, readings);
  return { outcome: { readings, diff } };
}

const environmentOf = (job: JobRecord) => (typeof job.inputs.environment === 'string' ? job.inputs.environment : '');

/** Replaces the "running…" message with the table, or with what went wrong. */
export async function reportVersionsJob(deps: Pick<VersionsJobDeps, 'slack' | 'config'>, job: JobRecord): Promise<void> {
  const target = job.requester;
  if (job.status === 'failed') {
    const what = job.kind === VERSIONS_JOB_KINDS.list ? '`/flux list`' : `\`/flux diff ${environmentOf(job)}\``;
    await replyInPlace(deps.slack, target, { text: `:x: ${what} failed: ${escapeMrkdwn(maskSecrets(job.error ?? 'unknown error'))}` });
    return;
  }
  const readings = (job.outcome?.readings ?? []) as ClusterReading[];
  if (job.kind === VERSIONS_JOB_KINDS.list) {
    const inputs = listInputsSchema.parse(job.inputs);
    await replyInPlace(deps.slack, target, listMessage({ ...(inputs.app ? { app: inputs.app } : {}), namespaces: deps.config.apps.namespaces, requester: job.requester.user, readings }));
    return;
  }
  const diff = job.outcome?.diff as EnvironmentDiff | undefined;
  if (!diff) {
    await replyInPlace(deps.slack, target, { text: `:x: The diff of ${inlineCode(environmentOf(job))} has no result; run it again.` });
    return;
  }
  await replyInPlace(deps.slack, target, environmentDiffMessage(diff, readings, job.requester.user));
}
