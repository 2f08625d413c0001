import type { Env } from '../../lib/core/config';
import type { MessageQueue } from '../../lib/adapters/queue/message-queue';
import { sqsQueue } from '../../lib/adapters/queue/sqs-queue';
import { QUEUE_URL_VARIABLES } from './queue-names';

/**
 * Build-time switch, set by esbuild `define` (esbuild.config.cjs): false in the AWS bundles, where the
 * ingress always sends to SQS, so the dynamic import below is dead code and the consumers, the worker and
 * their clients stay out of the ingress bundles. True for `npm start` (serverless offline) and `serverless
 * invoke local`; undefined when the sources run as they are (vitest, tsx), which means true.
 */
declare const __FLUXLINE_IN_PROCESS_JOBS__: boolean | undefined;

const cache = new Map<string, MessageQueue>();

/**
 * The queue an ingress route makes requests durable on: SQS when its URL variable is set (AWS), else the
 * in-process queue of the composition root (functions/compose/runtime.ts), loaded on first use.
 */
export function ingressQueue(env: Env, name: 'githubDeliveries' | 'slackRequests'): MessageQueue {
  const url = env[QUEUE_URL_VARIABLES[name]];
  if (url) {
    let queue = cache.get(url);
    if (!queue) cache.set(url, (queue = sqsQueue(url, env)));
    return queue;
  }
  // An if/else, not an early throw: esbuild drops the import only from a branch it knows is dead.
  if (typeof __FLUXLINE_IN_PROCESS_JOBS__ === 'undefined' || __FLUXLINE_IN_PROCESS_JOBS__) {
    const local = () => import('./runtime').then(({ queuesFor }) => queuesFor(env)[name]);
    return {
      send: async (message) => (await local()).send(message),
      idle: async () => (await local()).idle(),
    };
  } else {
    const missing = () => Promise.reject(new Error(`${QUEUE_URL_VARIABLES[name]} is not set: this bundle is built for AWS and has no in-process queue`));
    return { send: missing, idle: missing };
  }
}
