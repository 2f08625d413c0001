import { createHmac, randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { apiGatewayEvent } from './api-gateway';
import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };

type Json = Record<string, unknown>;

/** GitHub's own example payload for a pull_request action (@octokit/webhooks-examples), as a fresh copy. */
function example(action: string): Json {
  const definition = (examples as { name: string; examples: Json[] }[]).find((d) => d.name === 'pull_request');
  const found = definition?.examples.find((e) => e.action === action);
  if (!found) throw new Error(`no GitHub example for pull_request.${action}`);
  return structuredClone(found);
}

export interface PullRequestPayloadOptions {
  repository?: string;
  number?: number;
  installationId?: number;
  headSha?: string;
  draft?: boolean;
  labels?: string[];
  label?: string;
  merged?: boolean;
  forkOwner?: string;
  title?: string;
  /** The PR's updated_at; now by default, so deliveries sent one after the other are in order. */
  updatedAt?: string;
  /** base.ref; the example's `master` by default. */
  baseRef?: string;
  /** GitHub's test merge: `merge_commit_sha` and `mergeable` (the example has null for both). */
  mergeCommitSha?: string | null;
  mergeable?: boolean | null;
  /** base.repo.private; the example's public repository by default. */
  privateRepository?: boolean;
}

/** A real pull_request payload re-homed to our test repository (acme/fleet by default). */
export function pullRequestPayload(action: string, options: PullRequestPayloadOptions = {}): Json {
  const payload = example(action === 'closed' ? 'closed' : action);
  const repository = options.repository ?? 'acme/fleet';
  const [owner = 'acme', name = 'fleet'] = repository.split('/');
  const number = options.number ?? 42;
  const repo = payload.repository as Json;
  Object.assign(repo, { full_name: repository, name, owner: { ...(repo.owner as Json), login: owner } });
  const pr = payload.pull_request as Json;
  const head = pr.head as Json;
  const base = pr.base as Json;
  const headRepo = options.forkOwner
    ? { ...(head.repo as Json), full_name: `${options.forkOwner}/${name}`, fork: true, owner: { ...((head.repo as Json).owner as Json), login: options.forkOwner } }
    : { ...(head.repo as Json), full_name: repository, fork: false };
  Object.assign(head, { sha: options.headSha ?? 'ec26c3e57ca3a959ca5aad62de7213c562f8c821', repo: headRepo, label: `${options.forkOwner ?? owner}:${head.ref as string}` });
  Object.assign(base, { repo: { ...(base.repo as Json), full_name: repository, ...(options.privateRepository !== undefined ? { private: options.privateRepository } : {}) }, ...(options.baseRef ? { ref: options.baseRef } : {}) });
  if (options.mergeCommitSha !== undefined) pr.merge_commit_sha = options.mergeCommitSha;
  if (options.mergeable !== undefined) pr.mergeable = options.mergeable;
  Object.assign(pr, {
    number,
    html_url: `https://github.com/${repository}/pull/${number}`,
    title: options.title ?? (pr.title as string),
    draft: options.draft ?? false,
    labels: (options.labels ?? []).map((label, i) => ({ id: i + 1, name: label, color: 'ededed', default: false })),
    updated_at: options.updatedAt ?? new Date().toISOString(),
    ...(action === 'closed' ? { state: 'closed', merged: options.merged ?? true } : { state: 'open', merged: false }),
  });
  payload.number = number;
  payload.installation = { id: options.installationId ?? 4242, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==' };
  if (options.label) payload.label = { id: 99, name: options.label, color: 'ededed', default: false };
  return payload;
}

/** An API Gateway HTTP API (payload v2) event carrying a webhook delivery, signed like GitHub does. */
export function githubDeliveryEvent(
  eventName: string,
  payload: unknown,
  options: { secret: string; deliveryId?: string; signature?: string | null; base64?: boolean; rawBody?: string },
): APIGatewayProxyEventV2 {
  const body = options.rawBody ?? JSON.stringify(payload);
  const signature = options.signature === undefined ? `sha256=${createHmac('sha256', options.secret).update(body).digest('hex')}` : options.signature;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/a1b2c3d',
    'x-github-event': eventName,
    'x-github-delivery': options.deliveryId ?? randomUUID(),
    'x-github-hook-installation-target-type': 'integration',
  };
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  return apiGatewayEvent('/github/webhook', body, headers, { sourceIp: '192.30.252.1', ...(options.base64 ? { base64: true } : {}) });
}
