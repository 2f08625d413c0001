import type { PostedMessage, PostMessage, SlackPort } from '../../adapters/slack';
import type { EffectState, Store } from '../../adapters/store';
import type { ReportRun } from './report-run';

export interface EffectDeps {
  store: Pick<Store, 'beginEffect' | 'completeEffect'>;
  slack: SlackPort;
  now?: () => Date;
}

export type PostOnceResult = PostedMessage & {
  /** `posted` now; `recorded`: the ledger had it; `found`: an earlier attempt had posted it and Slack showed it. */
  how: 'posted' | 'recorded' | 'found';
};

/**
 * DESIGN §3 "Exactly once, visibly" for a Slack post: record the intent, post with the effect id as the
 * message's metadata, record the result. A retry (the queue's, Flux's, a redelivery) finds the result in
 * the ledger, or, when an earlier attempt died between posting and recording, finds the message in Slack
 * by its metadata, and posts only when neither has it. Inside a job's report (`run`), the report's ledger
 * entry stands for the intent on its first run and the result is recorded with the report's (report-run.ts).
 */
export async function postOnce(deps: EffectDeps, effectId: string, message: PostMessage, run?: ReportRun): Promise<PostOnceResult> {
  const now = deps.now ?? (() => new Date());
  const before = await ledgerBefore(deps, effectId, now(), run);
  if (before?.state === 'done') return { channel: String(before.result.channel), ts: String(before.result.ts), how: 'recorded' };
  // Without an intent of its own, a report's post may still have been made by the report's earlier run: since its intent.
  const since = before?.state === 'intended' ? before.intentAt : run?.earlierSince;
  if (since) {
    const earlier = await deps.slack.findPosted({ channel: message.channel, ...(message.threadTs ? { threadTs: message.threadTs } : {}), effectId, since });
    if (earlier) {
      await recordResult(deps, effectId, { channel: earlier.channel, ts: earlier.ts }, now(), run);
      return { ...earlier, how: 'found' };
    }
  }
  const posted = await deps.slack.postMessage({ ...message, effectId });
  await recordResult(deps, effectId, { channel: posted.channel, ts: posted.ts }, now(), run);
  return { ...posted, how: 'posted' };
}

/**
 * The intent of effect `id` recorded, and what the ledger held before. Nothing on a report's first run
 * (report-run.ts): none of its effects can have been made yet, and the report's own intent stands for them.
 */
function ledgerBefore(deps: EffectDeps, id: string, now: Date, run: ReportRun | undefined): Promise<EffectState | undefined> {
  return !run || run.earlierSince ? deps.store.beginEffect(id, now) : Promise.resolve(undefined);
}

/** What effect `id` made, recorded now; inside a report's run, kept to be written with the report's own result. */
async function recordResult(deps: EffectDeps, id: string, result: Record<string, unknown>, now: Date, run: ReportRun | undefined): Promise<void> {
  if (run) run.results.set(id, result);
  else await deps.store.completeEffect(id, result, now);
}

/**
 * A SlackPort whose posts and uploads are each made once under `scope`: the n-th post made through it is
 * effect `<scope>:<n>`. A report function that posts the same messages in the same order on every attempt
 * (they are built from the stored job) thus repeats none of them when it runs again after a crash.
 * Updates are idempotent at Slack and pass through; an upload carries no metadata, so the ledger alone
 * remembers it (an upload whose result was lost is uploaded again: a second file beats a missing report).
 * `run`: the job report's run these posts belong to (report-run.ts).
 */
export function onceSlack(deps: EffectDeps, scope: string, run?: ReportRun): SlackPort {
  let posts = 0;
  let uploads = 0;
  const now = deps.now ?? (() => new Date());
  return {
    ...deps.slack,
    postMessage: async (message) => {
      const { how: _how, ...posted } = await postOnce(deps, `${scope}:post:${++posts}`, message, run);
      return posted;
    },
    uploadFile: async (file) => {
      const id = `${scope}:upload:${++uploads}`;
      if ((await ledgerBefore(deps, id, now(), run))?.state === 'done') return;
      await deps.slack.uploadFile(file);
      await recordResult(deps, id, { channel: file.channel, filename: file.filename }, now(), run);
    },
  };
}
