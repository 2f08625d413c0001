import * as z from '../../core/validation';
import { MalformedFluxEvent } from './errors';

/**
 * The event notification-controller posts to a `generic` / `generic-hmac` Provider: the Event of
 * fluxcd/pkg/apis/event/v1beta1, as JSON (https://fluxcd.io/flux/components/notification/events/).
 * Unknown fields are kept out, not refused: newer controllers add some.
 */
export const fluxEventSchema = z.object({
  involvedObject: z.object({
    kind: z.string().check(z.minLength(1)),
    namespace: z.string().check(z.minLength(1)),
    name: z.string().check(z.minLength(1)),
    uid: z.optional(z.string()),
    apiVersion: z.optional(z.string()),
  }),
  severity: z.enum(['info', 'error']),
  timestamp: z.iso.datetime({ offset: true }),
  message: z.string(),
  reason: z.string().check(z.minLength(1)),
  // Flux omits `metadata` when the controller sent none.
  metadata: z._default(z.record(z.string(), z.string()), {}),
  reportingController: z.string().check(z.minLength(1)),
  reportingInstance: z.optional(z.string()),
});

export type FluxEvent = z.infer<typeof fluxEventSchema>;

/** Parses the raw body; every refusal is one line naming the first bad field. */
export function parseFluxEvent(body: string): FluxEvent {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MalformedFluxEvent('body is not valid JSON');
  }
  const parsed = fluxEventSchema.safeParse(json);
  if (!parsed.success) throw new MalformedFluxEvent(z.firstIssue(parsed.error));
  return parsed.data;
}

/** `Kind/namespace/name`: how logs, alerts and throttling name the object. */
export const objectRef = (event: FluxEvent) => `${event.involvedObject.kind}/${event.involvedObject.namespace}/${event.involvedObject.name}`;

/**
 * The source revision an event carries. Controllers send it as `<group>/revision`
 * (`kustomize.toolkit.fluxcd.io/revision`, `helm.toolkit.fluxcd.io/revision`); notification-controller
 * v1 strips the group before forwarding, so Providers see `revision`. Both are accepted.
 */
export function revisionOf(event: FluxEvent): string | undefined {
  return metadataOf(event, 'revision');
}

/**
 * One metadata value, under its own key (notification-controller v1 strips the controller's group) or
 * the `<group>/<key>` the controller wrote. helm-controller v1 sends the newest `status.history` snapshot
 * this way (internal/reconcile: `eventMeta(cur.ChartVersion, cur.ConfigDigest, addAppVersion(cur.AppVersion),
 * addOCIDigest(cur.OCIDigest))`): `revision`, `token`, `app-version`, `oci-digest`. kustomize-controller
 * sends `lastAppliedRevision` and `lastAppliedOriginRevision` as `revision` and `originRevision`.
 */
export function metadataOf(event: FluxEvent, key: string): string | undefined {
  const { metadata } = event;
  const group = event.involvedObject.apiVersion?.split('/')[0];
  const candidates = [metadata[key], group ? metadata[`${group}/${key}`] : undefined, metadata[`kustomize.toolkit.fluxcd.io/${key}`], metadata[`helm.toolkit.fluxcd.io/${key}`]];
  return candidates.find((value) => value !== undefined && value.trim() !== '')?.trim();
}

/**
 * What a person calls a source revision. Git revisions come as `main@sha1:<sha>` (Flux 2.0 and later)
 * or `main/<sha>` (before), a bare `sha1:<sha>` for a commit ref, and OCI artifacts as
 * `<tag>@sha256:<digest>`: the commit sha or digest is the version. Anything else is kept as it is.
 */
export function commitOf(revision: string): string {
  const digest = /@?(?:sha1|sha256|blake3):([0-9a-f]{7,})$/i.exec(revision);
  if (digest?.[1]) return digest[1].toLowerCase();
  const legacy = /^.+\/([0-9a-f]{40}|[0-9a-f]{64})$/i.exec(revision);
  if (legacy?.[1]) return legacy[1].toLowerCase();
  return revision;
}

/**
 * A HelmRelease's revision is its chart version: with `@sha256:<digest>` appended for an OCI chart pinned
 * by digest (older helm-controllers), or `+<digest[:12]>` as build metadata for a chart from an
 * OCIRepository (helm-controller v1, which sends the digest itself as `oci-digest`). When the metadata has
 * none, helm-controller's message still names it ("… with chart podinfo@6.5.4").
 */
export function chartVersionOf(event: FluxEvent, revision: string | undefined): string | undefined {
  const named = revision ?? /\bchart [^\s@]+@(v?\d[^\s,]*)/.exec(event.message)?.[1]?.replace(/\.$/, '');
  return named?.split('@')[0]?.split('+')[0] || undefined;
}
