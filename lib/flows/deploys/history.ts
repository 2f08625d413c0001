import type { Config } from '../../core/config';
import { escapeMrkdwn, inlineCode } from '../../adapters/slack';
import type { DeploymentRecord, Store } from '../../adapters/store';

/** Rows in one answer: an ephemeral reply stays readable, and well inside Slack's 40,000 characters. */
export const HISTORY_ROWS = 20;
/** Read when filtering by environment, so that a busy other cluster does not hide this one's rows. */
const SCAN_ROWS = 500;

export interface HistoryDeps {
  config: Pick<Config, 'clusters'>;
  store: Pick<Store, 'deploymentsOfApp'>;
}

export interface HistoryAsk {
  app: string;
  /** An environment is a cluster name of config.yaml. */
  environment?: string;
}

/** Slack renders `<!date^…>` in the reader's own time zone; the text after `|` is the fallback. */
function when(at: string): string {
  const date = new Date(at);
  const fallback = `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(date.getTime() / 1000)}^{date_short} {time}|${fallback}>`;
}

const shortVersion = (version: string) => (/^[0-9a-f]{40,64}$/.test(version) ? version.slice(0, 7) : version);

/**
 * `2.0.2 (9e1a3c5)` for an image promoted through a commit; `6.5.4 values sha256:1a2b3c4d` for a values
 * change; `9e1a3c5 build sha256:7b2c4e1f` for a Kustomization, whose commit may build other manifests when
 * a substitution changes.
 */
function versionOf(d: DeploymentRecord): string {
  const base = d.appVersion && d.appVersion !== d.version ? `${d.appVersion} (${shortVersion(d.version)})` : shortVersion(d.version);
  if (d.configDigest) return `${base} values ${d.configDigest.slice(0, 15)}`;
  return d.digest ? `${base} build ${d.digest.slice(0, 15)}` : base;
}

/** `api:2.0.2`: an image as people name it, without its registry and path. */
const imageName = (image: string) => image.slice(image.lastIndexOf('/') + 1);

function row(d: DeploymentRecord): string {
  const by = d.by ? `<@${d.by.user}> (${escapeMrkdwn(d.by.action)})` : 'Flux';
  const applied = d.readiness === 'applied' ? ' · applied, health not checked' : '';
  // What the Kustomization's Deployments ran at that revision, read from the cluster after the event.
  const images = d.images?.length && !d.appVersion ? ` · ${d.images.slice(0, 3).map((image) => inlineCode(imageName(image))).join(' ')}${d.images.length > 3 ? ' …' : ''}` : '';
  // Helm's own word on that release when it is not the usual one (a release that failed after the event).
  const helm = d.releaseStatus && d.releaseStatus !== 'deployed' && d.releaseStatus !== 'superseded' ? ` · Helm: ${escapeMrkdwn(d.releaseStatus)}` : '';
  return `• ${when(d.at)} · ${inlineCode(d.cluster)} · ${inlineCode(versionOf(d))}${images} · ${escapeMrkdwn(d.reason)} (${escapeMrkdwn(`${d.kind} ${d.namespace}/${d.name}`)})${applied}${helm} · ${by}`;
}

/**
 * `/flux history APP [on ENV]`: what deployed when, newest first, from the deployments Flux's events
 * recorded. It reads DynamoDB only, so the Slack function answers it directly.
 */
export async function deploymentHistoryText(deps: HistoryDeps, ask: HistoryAsk): Promise<string> {
  const clusters = Object.keys(deps.config.clusters);
  if (ask.environment !== undefined && !clusters.includes(ask.environment)) {
    return `Unknown environment ${inlineCode(ask.environment)}: environments are the clusters of config.yaml (${clusters.map(inlineCode).join(', ')}).`;
  }
  const found = await deps.store.deploymentsOfApp(ask.app, ask.environment ? SCAN_ROWS : HISTORY_ROWS + 1);
  const rows = ask.environment ? found.filter((d) => d.cluster === ask.environment) : found;
  const where = ask.environment ? ` on ${inlineCode(ask.environment)}` : '';
  if (rows.length === 0) {
    return [
      `No deployments of ${inlineCode(ask.app)}${where} are recorded yet.`,
      'History comes from Flux: an Alert whose `generic-hmac` Provider posts to `/flux/events/<cluster>` reports each Kustomization reconciled and each HelmRelease installed, upgraded or rolled back (README: _Deployment tracking_). The app is the Flux object’s name.',
    ].join('\n');
  }
  const shown = rows.slice(0, HISTORY_ROWS);
  return [
    `*Deployments of ${escapeMrkdwn(ask.app)}*${where}, newest first:`,
    ...shown.map(row),
    ...(rows.length > shown.length ? [`_The newest ${HISTORY_ROWS} are shown._`] : []),
  ].join('\n');
}
