import type { PostedMessage, PostMessage, SlackPort } from '../../adapters/slack';
import type { Store } from '../../adapters/store';
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
  const record = async (result: PostedMessage) => {
    if (run) run.results.set(effectId, { channel: result.channel, ts: result.ts });
    else await deps.store.completeEffect(effectId, { channel: result.channel, ts: result.ts }, now());
  };
  if (!run || run.earlierSince) {
    const before = await deps.store.beginEffect(effectId, now());
    if (before.state === 'done') return { channel: String(before.result.channel), ts: String(before.result.ts), how: 'recorded' };
    // Without an intent of its own, a report's post may still have been made by the report's earlier run: since its intent.
    const since = before.state === 'intended' ? before.intentAt : run?.earlierSince;
    if (since) {
      const earlier = await deps.slack.findPosted({ channel: message.channel, ...(message.threadTs ? { threadTs: message.threadTs } : {}), effectId, since });
      if (earlier) {
        await record(earlier);
        return { ...earlier, how: 'found' };
      }
    }
  }
  const posted = await deps.slack.postMessage({ ...message, effectId });
  await record(posted);
  return { ...posted, how: 'posted' };
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
      const result = { channel: file.channel, filename: file.filename };
      if (!run || run.earlierSince) {
        const before = await deps.store.beginEffect(id, now());
        if (before.state === 'done') return;
      }
      await deps.slack.uploadFile(file);
      if (run) run.results.set(id, result);
      else await deps.store.completeEffect(id, result, now());
    },
  };
}
