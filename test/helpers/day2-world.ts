import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { receiveFluxEvent, type FluxEventDeps } from '../../lib/flows/deploys';
import { jobIdFor } from '../../lib/flows/jobs';
import { startFakeKubernetes, type FakeKubernetes, type KubeObject } from '../fakes/kubernetes';
import { closedPort, SECRETS, useWorld, type World } from './world';

/**
 * A world for the day-2 commands: `stage` is the world's Kubernetes fake, `prod` a second one (so the
 * two can run different versions), `down` refuses connections. The GitOps repository acme/fleet keeps
 * prod under `clusters/production` (gitops.paths) and stage under the default `clusters/stage`.
 */
export interface Day2World {
  world: () => World;
  prod: () => FakeKubernetes;
  stage: () => FakeKubernetes;
}

export const GITOPS_REPOSITORY = 'acme/fleet';

export function useDay2World(options: { mode?: 'commit' | 'pull-request' } = {}): Day2World {
  const dir = mkdtempSync(join(tmpdir(), 'fluxline-day2-'));
  const world = useWorld({ FLUXLINE_CONFIG: join(dir, 'config.yaml') });
  let prod: FakeKubernetes | undefined;
  beforeAll(async () => {
    prod = await startFakeKubernetes({ token: SECRETS.kubeToken });
    const stage = world().kube;
    writeFileSync(join(dir, 'stage'), stage.kubeconfigYaml());
    writeFileSync(join(dir, 'prod'), prod.kubeconfigYaml());
    writeFileSync(join(dir, 'down'), stage.kubeconfigYaml().replace(stage.url, `http://127.0.0.1:${await closedPort()}`));
    writeFileSync(
      join(dir, 'config.yaml'),
      `
slack:
  channel: C0FLUX
  admins: [U0ADMIN]
  channels:
    C0STAGE: { clusters: [stage] }
clusters:
  stage: { kubeconfig: { file: ${join(dir, 'stage')} } }
  prod: { kubeconfig: { file: ${join(dir, 'prod')} } }
  down: { kubeconfig: { file: ${join(dir, 'down')} } }
gitops:
  repository: ${GITOPS_REPOSITORY}
  branch: main
  mode: ${options.mode ?? 'commit'}
  paths: { prod: clusters/production }
apps:
  namespaces: [podinfo, web]
`,
    );
  });
  afterAll(async () => {
    await world().settle();
    await prod?.stop();
  });
  return {
    world,
    stage: () => world().kube,
    prod: () => {
      if (!prod) throw new Error('prod starts in beforeAll');
      return prod;
    },
  };
}

/** An apps/v1 Deployment as the API server stores it, with the labels and status `/flux list` reads. */
export function deployment(name: string, namespace: string, options: { labels?: Record<string, string>; image: string; ready?: number; replicas?: number }): KubeObject {
  const replicas = options.replicas ?? 2;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: options.labels ?? {} },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: options.image }] } } },
    status: { replicas, readyReplicas: options.ready ?? replicas, updatedReplicas: replicas },
  };
}

/** Runs a slash command and waits for its job; returns the job id (derived from the trigger id like the handler does). */
export async function runCommand(world: World, text: string, options: { user?: string; channel?: string } = {}): Promise<{ jobId: string; reply: string }> {
  const triggerId = `${Date.now()}.${Math.random().toString(36).slice(2)}`;
  const response = await world.command(text, { ...options, triggerId });
  await world.settle();
  return { jobId: jobIdFor({ source: 'slack', key: `command:${triggerId}` }), reply: response.body ?? '' };
}

/**
 * A Flux event of `cluster` as the flux-events Lambda receives it, with the world's runtime, then the work
 * it queued done (the deployment-status job that completes the record from the object's status).
 */
export async function receiveFluxEventSettled(world: () => World, cluster: string, body: string): ReturnType<typeof receiveFluxEvent> {
  const { config, store, slack, queue } = await world().runtime();
  const deps: FluxEventDeps = { config, store, slack, queue };
  const outcome = await receiveFluxEvent(deps, cluster, body);
  await world().settle();
  return outcome;
}
