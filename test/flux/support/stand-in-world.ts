import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startFakeKubeApi, type FakeKubeApi } from './fake-kube-api';
import { createWorkspace, type Workspace } from './workspace';

/**
 * What a test of the stand-in flux runs against: one fake API server for the describe block (serving the
 * `flux-system/apps` Kustomization) and a fresh job folder per test, removed after it. Read the fields inside
 * tests and hooks: they are set by the hooks this registers.
 */
export function useStandInFlux(token: string): { readonly kube: FakeKubeApi; readonly work: Workspace } {
  const world = {} as { kube: FakeKubeApi; work: Workspace };
  beforeAll(async () => {
    world.kube = await startFakeKubeApi(token, ['flux-system/apps']);
  });
  afterAll(async () => {
    await world.kube.close();
  });
  beforeEach(() => {
    world.work = createWorkspace(world.kube.url, token);
  });
  afterEach(() => {
    world.work.remove();
  });
  return world;
}
