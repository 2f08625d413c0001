import { beforeEach } from 'vitest';
import { buttonsOf, type World } from '../helpers/world';
import { GITOPS_REPOSITORY } from '../helpers/day2-world';
import { LAYOUT_FILES } from './layouts-fixture';

/** Every test starts from the layout repository as seeded (layouts-fixture.ts), with no commit recorded yet. */
export function reseedLayoutsEachTest(world: () => World): void {
  beforeEach(() => {
    world().github.git.seed(GITOPS_REPOSITORY, 'main', LAYOUT_FILES);
    world().github.git.commits.length = 0;
  });
}

/** A promote or rollback job, the message that answers it (its text with its blocks, and its buttons) and its pending rollout on prod. */
export async function jobAnswer(world: () => World, jobId: string) {
  const { store } = await world().runtime();
  const job = await store.getJob(jobId);
  const message = world().slack.messages.find((m) => m.ts === job?.requester.messageTs);
  return {
    job,
    text: `${message?.text ?? ''}\n${JSON.stringify(message?.blocks ?? [])}`,
    messageTs: message?.ts ?? '',
    buttons: buttonsOf(message?.blocks),
    pending: (await store.pendingRolloutsOn('prod')).find((p) => p.jobId === jobId),
  };
}

/** A file of the layout repository's main branch, as committed so far. */
export const layoutFile = (world: () => World, path: string) => world().github.git.file(GITOPS_REPOSITORY, 'main', path);
