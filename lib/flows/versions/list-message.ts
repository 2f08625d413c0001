import type { KnownBlock } from '@slack/web-api';
import { BLOCK_KIT, codeSections, escapeMrkdwn, inlineCode, textTable, truncate } from '../../adapters/slack';
import { downNotes } from './reading-notes';
import type { AppOnCluster, ClusterReading } from './read-versions';
import { shortTime } from './table';
import { chartCell, pendingChange, versionCell } from './what-runs';

/** Long app names and versions are cut so one row stays one line on a phone. */
const MAX_CELL = 40;

export interface ListView {
  app?: string;
  namespaces: string[];
  requester: string;
  readings: ClusterReading[];
}

/** Table characters we allow ourselves, below Slack's ~13,200 per message (BLOCK_KIT.safeMessageChars). */
const TABLE_BUDGET = 8_000;

function row(app: AppOnCluster, label: string): string[] {
  return [label, app.cluster, chartCell(app), versionCell(app), `${app.ready}/${app.desired}`, shortTime(app.deployedAt)];
}

/** An app whose Flux object has not caught up with its source (or is not Ready), said under the table. */
function convergenceNotes(apps: AppOnCluster[], label: (app: AppOnCluster) => string): string[] {
  return apps.flatMap((app) => {
    const pending = pendingChange(app);
    const owner = app.owner ? ` (${app.owner.kind} ${app.owner.namespace}/${app.owner.name})` : '';
    return pending ? [`:hourglass_flowing_sand: ${inlineCode(label(app))} on ${inlineCode(app.cluster)}${escapeMrkdwn(owner)}: ${escapeMrkdwn(pending)}`] : [];
  });
}

/** `/flux list [app]` as a Block Kit message: one monospace table, then the clusters that did not answer. */
export function listMessage(view: ListView): { text: string; blocks: KnownBlock[] } {
  const order = new Map(view.readings.map((reading, index) => [reading.cluster, index]));
  const showNamespace = view.namespaces.length > 1;
  const label = (app: AppOnCluster) => (showNamespace ? `${app.namespace}/${app.app}` : app.app);
  const apps = view.readings
    .flatMap((reading) => (reading.status === 'ok' ? reading.apps : []))
    .sort((a, b) => label(a).localeCompare(label(b)) || (order.get(a.cluster) ?? 0) - (order.get(b.cluster) ?? 0));
  const header = ['APP', 'CLUSTER', 'CHART', 'VERSION', 'READY', 'LAST DEPLOYED'];
  const rows = apps.map((app) => row(app, label(app)));
  const width = textTable(header, rows.slice(0, 1), MAX_CELL).split('\n')[0]?.length ?? 80;
  const fits = Math.max(1, Math.floor(TABLE_BUDGET / (width + 12)));
  const shown = rows.slice(0, fits);

  const subject = view.app ? `${inlineCode(view.app)}` : 'apps';
  const readable = view.readings.filter((reading) => reading.status === 'ok').length;
  const title = `:clipboard: *Versions of ${subject}* on ${view.readings.length} cluster${view.readings.length === 1 ? '' : 's'}${readable < view.readings.length ? ` (${view.readings.length - readable} not answering)` : ''}`;
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: title } }];
  if (shown.length > 0) {
    blocks.push(...codeSections(textTable(header, shown, MAX_CELL), { maxBlocks: BLOCK_KIT.blocksPerMessage - 4, maxChars: TABLE_BUDGET + 1_000 }).blocks);
  } else {
    const where = view.namespaces.map(inlineCode).join(', ');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: view.app ? `No Deployment of ${inlineCode(view.app)} in ${where} on the clusters that answered.` : `No Deployments in ${where} on the clusters that answered.` } });
  }
  const notes = [
    ...(rows.length > shown.length ? [`…and ${rows.length - shown.length} more rows: narrow it with \`/flux list APP\`.`] : []),
    ...convergenceNotes(apps, label),
    ...downNotes(view.readings),
    `Chart: the chart version of the HelmRelease's last release (else the \`helm.sh/chart\` label). Version: the app version of that release, else the \`app.kubernetes.io/version\` label, else the image tag. Last deployed: Flux's last successful deployment of the owning Flux object. Requested by <@${view.requester}>.`,
  ];
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(notes.join('\n'), BLOCK_KIT.contextText) }] });
  const plain = `Versions of ${view.app ?? 'apps'}: ${apps.length} Deployment${apps.length === 1 ? '' : 's'} on ${readable} of ${view.readings.length} clusters`;
  return { text: plain, blocks };
}
