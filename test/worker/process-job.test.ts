import { describe, expect, it } from 'vitest';
import { processJob, type WorkerDeps } from '../../lib/flows/worker';
import type { GithubApp } from '../../lib/adapters/github';
import { freshStore } from '../helpers/store';

describe('processJob', () => {
  it("prepares the GitHub App (key, JWT) while the job's claim is in flight, not after it (issue #20)", async () => {
    // Prepare: the claim answers only once the App was prepared, or after 2 s without it
    const store = await freshStore();
    let prepared = () => {};
    const wasPrepared = new Promise<'prepared'>((resolve) => (prepared = () => resolve('prepared')));
    const claims: string[] = [];
    const deps = {
      store: {
        ...store,
        transitionJob: async (...args: Parameters<typeof store.transitionJob>) => {
          claims.push(await Promise.race([wasPrepared, new Promise<string>((resolve) => setTimeout(() => resolve('not prepared'), 2_000))]));
          return store.transitionJob(...args);
        },
      },
      github: () => Promise.resolve({ prepare: () => Promise.resolve(prepared()) } as unknown as GithubApp),
    } as unknown as WorkerDeps;

    // Act: a job id with no job item (the claim finds nothing and the message is dropped)
    await processJob(deps, 'no-such-job');

    // Assess
    expect(claims).toEqual(['prepared']);
  });
});
