import { createHash } from 'node:crypto';
import type { OutgoingMessage } from '../../adapters/queue/message-queue';

/** SQS refuses a message body over 256 KiB (262,144 bytes); keep room for the envelope's own fields. */
export const SQS_BODY_LIMIT = 262_144;

/** A verified GitHub delivery as it travels from the ingress to its consumer. */
export interface GithubDelivery {
  /** `X-GitHub-Delivery`: the same id when GitHub (or our redelivery sweep) sends it again. */
  id: string;
  /** `X-GitHub-Event`. */
  event: string;
  payload: unknown;
  /** The payload was cut down to the fields the consumer reads, because the whole one exceeded SQS's limit. */
  trimmed?: boolean;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Picks `fields` of an object, leaving out the absent ones. */
function pick(source: unknown, fields: string[]): Json | undefined {
  if (!isObject(source)) return undefined;
  return Object.fromEntries(fields.filter((field) => field in source).map((field) => [field, source[field]]));
}

/**
 * What the PR notice flow reads of a `pull_request` payload (lib/flows/notices/payload.ts and
 * lib/adapters/github/pull-request-info.ts): a few hundred bytes, whatever the size of the PR's body or its
 * repositories' descriptions, which are what makes a payload large.
 */
export function essentialPullRequestFields(payload: Json): Json {
  const repository = (repo: unknown) => pick(repo, ['full_name']);
  const branch = (ref: unknown) => (isObject(ref) ? { ...pick(ref, ['ref', 'sha']), repo: ref.repo === null ? null : repository(ref.repo) } : ref);
  const pr = isObject(payload.pull_request) ? payload.pull_request : {};
  const labels = Array.isArray(pr.labels) ? pr.labels.map((label) => pick(label, ['name'])) : pr.labels;
  return {
    ...pick(payload, ['action', 'number', 'before', 'after']),
    ...(payload.label ? { label: pick(payload.label, ['name']) } : {}),
    ...(payload.installation ? { installation: pick(payload.installation, ['id']) } : {}),
    ...(payload.sender ? { sender: pick(payload.sender, ['login']) } : {}),
    repository: repository(payload.repository),
    pull_request: {
      ...pick(pr, ['number', 'title', 'html_url', 'state', 'draft', 'merged', 'merged_at', 'updated_at']),
      ...(pr.user ? { user: pick(pr.user, ['login']) } : {}),
      head: branch(pr.head),
      base: branch(pr.base),
      labels,
    },
  };
}

/** SQS FIFO group ids are at most 128 characters; a longer repository name is hashed, still one group per PR. */
function groupIdOf(repository: string, number: number): string {
  const id = `${repository}#${number}`;
  return id.length <= 128 ? id : `pr-${createHash('sha256').update(id).digest('hex')}`;
}

/**
 * The queue message for a delivery. The payload's own bytes are embedded as they came (they are JSON: the
 * ingress parsed them), so a large payload is not serialised twice on the ack path; only when the whole
 * would exceed SQS's limit is it cut down to what the consumer reads. One FIFO group per PR keeps a PR's
 * deliveries in order; the delivery id deduplicates GitHub's and the sweep's redeliveries within 5 minutes.
 */
export function githubDeliveryMessage(delivery: { id: string; event: string; rawPayload: string; payload: Json }, pullRequest?: { repository: string; number: number }): OutgoingMessage | undefined {
  const head = `{"v":1,"id":${JSON.stringify(delivery.id)},"event":${JSON.stringify(delivery.event)},"payload":`;
  let body = `${head}${delivery.rawPayload}}`;
  if (Buffer.byteLength(body) > SQS_BODY_LIMIT) {
    if (delivery.event !== 'pull_request') return undefined;
    body = `${head}${JSON.stringify(essentialPullRequestFields(delivery.payload))},"trimmed":true}`;
    if (Buffer.byteLength(body) > SQS_BODY_LIMIT) return undefined;
  }
  return {
    body,
    groupId: pullRequest ? groupIdOf(pullRequest.repository, pullRequest.number) : `delivery-${delivery.id}`.slice(0, 128),
    deduplicationId: delivery.id.slice(0, 128),
  };
}
