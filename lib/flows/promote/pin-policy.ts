import * as z from '../../core/validation';
import { logger } from '../../core/log';
import { FileChanged, readFile, updateFile, type GithubApp, type RepositoryRef } from '../../adapters/github';
import { escapeMrkdwn, inlineCode, mrkdwnLink, replyInPlace, type SlackPort } from '../../adapters/slack';
import { maskSecrets } from '../../core/sanitise';
import type { JobRecord, Store } from '../../adapters/store';
import type { Config } from '../../core/config';
import { auditJob } from './audit-job';
import { PromoteError } from './errors';
import { pinnableOf, pinTargetOf, type Pinnable } from './pin-target';

/**
 * Pinning: a rollback (or a promote to an older tag) written on a line with an image policy marker lasts
 * only until image-automation-controller's next run. Suspending the automation stops it for every file;
 * patching the ImagePolicy on the cluster would not last either, since kustomize-controller applies the
 * policy's range from Git again on its next reconciliation, and one policy often serves every environment.
 * What an operator expects is that this one line keeps this one version, in Git, reviewed like the
 * rollback: the marker on the line is turned into a comment image automation does not read (kyaml takes a
 * setter only from a comment that is the marker's JSON and nothing else), which says how to resume.
 */
export const pinPolicyInputsSchema = z.object({
  /** The promote or rollback whose answer offered it: the file, branch, line and version are read from it. */
  fromJobId: z.string(),
  marker: z.int(),
});

export interface PinPolicyDeps {
  config: Config;
  store: Pick<Store, 'appendAudit' | 'getJob'>;
  github: () => Promise<GithubApp>;
  slack: SlackPort;
}

/** The marker comment, `# {"$imagepolicy": "ns:name"}` with an optional `:tag`/`:name` suffix, at the end of a line. */
const MARKER = /#\s*(\{\s*"\$imagepolicy"\s*:\s*"([^"]+)"\s*\})\s*$/;

/** The line's text with its marker made inert; throws PromoteError when the line no longer holds `version`. */
export function pinnedText(text: string, pin: Pinnable): { text: string; line: number } {
  const lines = text.split('\n');
  const [namespace, name] = pin.policy.split(':');
  // The line the job edited, else the one line that still carries the policy (an edit above moved it).
  const carries = (line: string) => {
    const policy = MARKER.exec(line)?.[2]?.split(':');
    return policy !== undefined && policy[0] === namespace && policy[1] === name;
  };
  const index = carries(lines[pin.line - 1] ?? '') ? pin.line - 1 : lines.findIndex(carries);
  const line = lines[index];
  if (index < 0 || line === undefined) throw new PromoteError(`${pin.path} has no image policy marker for \`${pin.policy}\` any more: nothing to pin`);
  const value = /:\s*["']?([^\s"'#]+)["']?\s*#/.exec(line)?.[1];
  // `newTag: 2.0.0`, `tag: "2.0.0"`, or an image reference `ghcr.io/acme/api:2.0.0`: the tag is after the last colon.
  const tag = value?.split('@')[0]?.split(':').at(-1);
  if (tag !== pin.version) {
    throw new PromoteError(`line ${index + 1} of ${pin.path} no longer holds \`${pin.version}\` (it holds \`${tag ?? '?'}\`): image automation or another commit changed it; roll back again, then pin`);
  }
  const marker = MARKER.exec(line)?.[1] ?? '';
  lines[index] = line.replace(MARKER, `# pinned at ${pin.version} by Fluxline; to resume image automation on this line, put back: ${marker}`);
  return { text: lines.join('\n'), line: index + 1 };
}

/**
 * Commits the pinned line on the branch the promote/rollback wrote to (`gitops.branch`, or its PR's
 * branch, so the pin merges with the rollback). A file that moved meanwhile (409) is read again once.
 */
export async function executePinPolicyJob(deps: PinPolicyDeps, job: JobRecord): Promise<{ outcome: Record<string, unknown> }> {
  const inputs = pinPolicyInputsSchema.parse(job.inputs);
  const pin = pinnableOf(await deps.store.getJob(inputs.fromJobId), inputs.marker);
  if (!pin) throw new PromoteError('that image policy marker is no longer offered: run the rollback again');
  const gitops = deps.config.gitops;
  try {
    if (!gitops) throw new PromoteError('`gitops` is no longer in config.yaml');
    const [owner = '', repo = ''] = gitops.repository.split('/');
    const repository: RepositoryRef = { owner, repo };
    const client = await (await deps.github()).forRepository(owner, repo);
    const requester = `Slack user ${job.requester.name ?? job.requester.user} (${job.requester.user})`;
    for (let attempt = 0; ; attempt++) {
      const file = await readFile(client, { ...repository, path: pin.path, ref: pin.branch });
      const pinned = pinnedText(file.text, pin);
      const message = `Pin ${pin.app} at ${pin.version} on ${pin.environment}: image automation leaves ${pin.path} line ${pinned.line} alone\n\nRequested by ${requester} via Fluxline (job ${job.id}). To resume image automation on this line, put back its {"$imagepolicy": "${pin.policy}"} marker.`;
      try {
        const written = await updateFile(client, { ...repository, path: pin.path, branch: pin.branch, text: pinned.text, sha: file.sha, message });
        await auditJob(deps, job, 'succeeded', pinTargetOf(pin), written.commitUrl);
        return { outcome: { ...pin, ...written } };
      } catch (err) {
        if (!(err instanceof FileChanged) || attempt > 0) throw err;
        logger.info('file changed while pinning; reading it again', { path: pin.path, branch: pin.branch });
      }
    }
  } catch (err) {
    await auditJob(deps, job, 'failed', pinTargetOf(pin), err instanceof Error ? err.message : String(err));
    throw err;
  }
}

export async function reportPinPolicyJob(deps: { slack: SlackPort; store: Pick<Store, 'getJob'> }, job: JobRecord): Promise<void> {
  const inputs = pinPolicyInputsSchema.parse(job.inputs);
  const pin = pinnableOf(await deps.store.getJob(inputs.fromJobId), inputs.marker);
  const what = pin ? `${inlineCode(pin.app)} at ${inlineCode(pin.version)} on ${inlineCode(pin.environment)}` : 'the version';
  const url = typeof job.outcome?.commitUrl === 'string' ? job.outcome.commitUrl : undefined;
  const sha = typeof job.outcome?.commitSha === 'string' ? job.outcome.commitSha.slice(0, 7) : 'commit';
  const text =
    job.status === 'failed'
      ? `:x: Could not pin ${what}: ${escapeMrkdwn(maskSecrets(job.error ?? 'unknown error'))}`
      : `:pushpin: <@${job.requester.user}> pinned ${what}: committed ${url ? mrkdwnLink(url, sha) : sha} to \`${escapeMrkdwn(pin?.branch ?? '')}\`. Image automation leaves \`${escapeMrkdwn(pin?.path ?? '')}\` at this version; the line says how to resume.`;
  await replyInPlace(deps.slack, job.requester, { text });
}
