// The composition root (DESIGN §1): the adapters wired into the flows, once per Lambda container and per
// environment (the environment is an argument, as in probot's createProbot, so tests point it at fakes).
import type { Env } from '../../lib/core/config';
import { inProcessQueue, sqsQueue, type Consume, type InProcessQueue, type MessageQueue } from '../../lib/adapters/queue';
import type { SlackConsumerDeps } from '../../lib/flows/interactions/consume-slack-request';
import { slackExecutors } from '../../lib/flows/interactions';
import type { DeliveryDeps } from '../../lib/flows/notices/receive-delivery';
import type { WorkerDeps } from '../../lib/flows/worker';
import { JOBS_RETRY_POLICY } from '../../lib/flows/jobs/batch';
import { refreshedWithParameters } from '../../lib/adapters/secrets';
import { createRuntime, type Runtime } from './create-runtime';
import { FLUX_REPORT_MARGIN_MS } from './job-deadline';
import { QUEUE_URL_VARIABLES, type QueueName } from './queue-names';

export type Queues = Record<QueueName, MessageQueue>;

interface Wiring {
  queues: Queues;
  inProcess: Partial<Record<QueueName, InProcessQueue>>;
  runtime?: () => Promise<Runtime>;
}

const wirings = new Map<Env, Wiring>();

/** Local runs wait shorter: FLUXLINE_QUEUE_TIME_SCALE=0.001 turns a 10 s backoff into 10 ms (tests). */
function timeScaleOf(env: Env): number {
  const scale = Number(env.FLUXLINE_QUEUE_TIME_SCALE);
  return Number.isFinite(scale) && scale > 0 ? scale : 1;
}

/**
 * The in-process consumers of `npm start` and the tests: the same consumers the queue Lambdas run, loaded
 * on first use, each with this environment's runtime.
 */
function inProcessConsumers(env: Env): Record<QueueName, () => Promise<Consume>> {
  return {
    githubDeliveries: async () => {
      const { consumeGithubDelivery } = await import('../../lib/flows/notices/consume-delivery');
      return async (message) => {
        await consumeGithubDelivery(deliveryDepsOf(await runtimeFor(env)), message);
      };
    },
    slackRequests: async () => {
      const { consumeSlackRequest } = await import('../../lib/flows/interactions/consume-slack-request');
      return async (message) => consumeSlackRequest(slackConsumerDepsOf(await runtimeFor(env)), message);
    },
    jobs: async () => {
      const [{ processJob }, { consumeJobMessage }] = await Promise.all([import('../../lib/flows/worker'), import('../../lib/flows/jobs/batch')]);
      return async (message) => consumeJobMessage(message, async (jobId) => processJob(workerDepsOf(await runtimeFor(env)), jobId));
    },
  };
}

/** What the deliveries consumer needs of the runtime, and no more (DESIGN §1: no service locator passed whole). */
export function deliveryDepsOf(runtime: Runtime): DeliveryDeps {
  const { config, store, queue, slack, settings } = runtime;
  return { config, store, queue, slack, github: () => runtime.github(), readParameter: (name) => runtime.readParameter(name), appId: settings.githubAppId ?? 'local' };
}

/** What the Slack requests consumer needs: config to decide, the table, the jobs queue and Slack; GitHub for a diff's `queued` check run. */
export function slackConsumerDepsOf(runtime: Runtime): SlackConsumerDeps {
  const { config, store, queue, slack } = runtime;
  const deps = { config, store, queue, slack, github: () => runtime.github() };
  return { ...deps, executors: slackExecutors(deps) };
}

/**
 * What the worker's jobs need: cluster access (parameters, the flux binary) besides the table, GitHub and
 * Slack. In Lambda (`remainingMs`), flux's timeout is FLUX_TIMEOUT_SECONDS capped by the time the
 * invocation has left minus FLUX_REPORT_MARGIN_MS, read when flux starts, so a slow job still reports its
 * timeout instead of being killed with it.
 */
export function workerDepsOf(runtime: Runtime, { remainingMs }: { remainingMs?: () => number } = {}): WorkerDeps {
  const { config, store, slack, settings } = runtime;
  return {
    config,
    store,
    slack,
    github: () => runtime.github(),
    readParameter: (name) => runtime.readParameter(name),
    // Remote executors: the role's credentials sign a Lambda Invoke, and npm start's `secret: { env }` is read here.
    env: runtime.env,
    fluxBin: settings.fluxBin,
    fluxPath: settings.fluxPath,
    checkoutCacheBytes: settings.checkoutCacheBytes,
    ...(settings.scopedCheckoutMinBytes !== undefined ? { scopedCheckoutMinBytes: settings.scopedCheckoutMinBytes } : {}),
    get fluxTimeoutMs() {
      return remainingMs ? Math.min(settings.fluxTimeoutMs, Math.max(1_000, remainingMs() - FLUX_REPORT_MARGIN_MS)) : settings.fluxTimeoutMs;
    },
  };
}

function wiringFor(env: Env): Wiring {
  let wiring = wirings.get(env);
  if (wiring) return wiring;
  const consumers = inProcessConsumers(env);
  const inProcess: Wiring['inProcess'] = {};
  const queue = (name: QueueName): MessageQueue => {
    const url = env[QUEUE_URL_VARIABLES[name]];
    if (url) return sqsQueue(url, env);
    const local = inProcessQueue({ name, consume: consumers[name], timeScale: timeScaleOf(env), ...(name === 'jobs' ? { policy: { maxReceives: JOBS_RETRY_POLICY.maxReceives, baseDelaySeconds: 1, maxDelaySeconds: 30 } } : {}) });
    inProcess[name] = local;
    return local;
  };
  wiring = { queues: { githubDeliveries: queue('githubDeliveries'), slackRequests: queue('slackRequests'), jobs: queue('jobs') }, inProcess };
  wirings.set(env, wiring);
  return wiring;
}

export function queuesFor(env: Env = process.env): Queues {
  return wiringFor(env).queues;
}

/**
 * The container's runtime, created on first use and rebuilt when its parameters change (config.yaml, the
 * bot token, the App key: read again once their 5-minute cache expires); a failed creation is retried by
 * the next invocation.
 */
export function runtimeFor(env: Env = process.env): Promise<Runtime> {
  const wiring = wiringFor(env);
  wiring.runtime ??= refreshedWithParameters(env, 'runtime', () => createRuntime(env, { jobs: wiring.queues.jobs }));
  return wiring.runtime();
}

/** Resolves once every in-process queue of this environment is empty: a consumer's work may queue more. */
export async function idleQueues(env: Env = process.env): Promise<void> {
  const queues = Object.values(wiringFor(env).inProcess);
  do await Promise.all(queues.map((queue) => queue.idle()));
  while (queues.some((queue) => queue.busy()));
}

/** An in-process queue of this environment, to look into (its dead letters) or to send to directly; tests and the bench. */
export function inProcessQueueOf(env: Env, name: QueueName): InProcessQueue {
  const queue = wiringFor(env).inProcess[name];
  if (!queue) throw new Error(`${QUEUE_URL_VARIABLES[name]} is set: the ${name} queue is SQS, not in-process`);
  return queue;
}
