import type { KnownBlock } from '@slack/web-api';
import { BLOCK_KIT, codeSections, escapeMrkdwn, inlineCode, textTable, truncate } from '../../adapters/slack';
import { VersionsError } from './errors';
import { downNotes } from './reading-notes';
import type { ClusterReading } from './read-versions';
import { pendingChange, type AppOnCluster } from './what-runs';

export interface EnvironmentDifference {
  app: string;
  /** Cluster -> what runs there (`1.10.0 · chart 4.10.0`; one per namespace the app runs in); [] = not deployed. */
  versions: Record<string, string[]>;
}

export interface EnvironmentDiff {
  environment: string;
  /** The other clusters that answered, the ones compared with. */
  comparedWith: string[];
  differences: EnvironmentDifference[];
  /** Apps seen on the environment or the compared clusters. */
  appCount: number;
  /** Apps on the environment whose Flux object has not applied what its source offers (or is not Ready). */
  pending: { app: string; owner?: string; why: string }[];
  /** Apps that run the same versions everywhere but with other values (HelmRelease config digest). */
  valuesDiffer: string[];
}

/** What an app runs, as the environments are compared: app version, chart version, and the images. */
function stateOf(app: AppOnCluster): { cell: string; images: string } {
  const version = app.version ?? '?';
  return { cell: app.chartVersion ? `${version} · chart ${app.chartVersion}` : version, images: [...app.images].sort().join(', ') };
}

/**
 * Apps whose desired state on `environment` — the release's chart and app version, the images — is not
 * the one of every other cluster that answered, including apps missing on one side; and only those.
 * Images count too: two clusters on chart 4.10.0 with another image tag in values differ.
 */
export function diffEnvironment(environment: string, readings: ClusterReading[]): EnvironmentDiff {
  const own = readings.find((reading) => reading.cluster === environment);
  if (!own) throw new VersionsError(`\`${environment}\` was not read`);
  if (own.status === 'down') throw new VersionsError(`\`${environment}\` could not be read, so there is nothing to compare: ${own.reason}`);
  const others = readings.filter((reading): reading is Extract<ClusterReading, { status: 'ok' }> => reading.status === 'ok' && reading.cluster !== environment);
  const compared = [own, ...others];
  type Seen = { cells: string[]; keys: string[]; digests: string[] };
  const seen = new Map<string, Record<string, Seen>>();
  for (const reading of compared) {
    for (const app of reading.apps) {
      const perCluster = seen.get(app.app) ?? Object.fromEntries(compared.map((r) => [r.cluster, { cells: [], keys: [], digests: [] }]));
      const entry = perCluster[reading.cluster] ?? { cells: [], keys: [], digests: [] };
      const state = stateOf(app);
      if (!entry.keys.includes(`${state.cell}|${state.images}`)) {
        entry.keys.push(`${state.cell}|${state.images}`);
        entry.cells.push(state.cell);
      }
      if (app.configDigest && !entry.digests.includes(app.configDigest)) entry.digests.push(app.configDigest);
      perCluster[reading.cluster] = { cells: entry.cells.sort(), keys: entry.keys.sort(), digests: entry.digests.sort() };
      seen.set(app.app, perCluster);
    }
  }
  const key = (entry: Seen | undefined, field: 'keys' | 'cells' | 'digests') => (entry?.[field] ?? []).join(',');
  const differences: EnvironmentDifference[] = [];
  const valuesDiffer: string[] = [];
  for (const [app, perCluster] of seen) {
    const ownEntry = perCluster[environment];
    if (others.some((other) => key(perCluster[other.cluster], 'keys') !== key(ownEntry, 'keys'))) {
      // Same versions but other images: show the images, or the row would look like no difference.
      const cellsAgree = others.every((other) => key(perCluster[other.cluster], 'cells') === key(ownEntry, 'cells'));
      const versions = Object.fromEntries(Object.entries(perCluster).map(([cluster, entry]) => [cluster, cellsAgree ? entry.keys.map((k) => k.split('|')[1] ?? '') : entry.cells]));
      differences.push({ app, versions });
    } else if (others.some((other) => key(perCluster[other.cluster], 'digests') !== key(ownEntry, 'digests'))) {
      valuesDiffer.push(app);
    }
  }
  differences.sort((a, b) => a.app.localeCompare(b.app));
  const pending = own.apps.flatMap((app) => {
    const why = pendingChange(app);
    return why ? [{ app: app.app, ...(app.owner ? { owner: `${app.owner.kind} ${app.owner.namespace}/${app.owner.name}` } : {}), why }] : [];
  });
  return { environment, comparedWith: others.map((other) => other.cluster), differences, appCount: seen.size, pending, valuesDiffer: valuesDiffer.sort() };
}

/** The differences as a table with the environment's column first; or, in words, that everything agrees. */
export function environmentDiffMessage(diff: EnvironmentDiff, readings: ClusterReading[], requester: string): { text: string; blocks: KnownBlock[] } {
  const env = inlineCode(diff.environment);
  const withWhom = diff.comparedWith.map(inlineCode).join(', ');
  const blocks: KnownBlock[] = [];
  let text: string;
  if (diff.comparedWith.length === 0) {
    text = `Nothing to compare ${diff.environment} with: no other cluster answered`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `:grey_question: Nothing to compare ${env} with: no other cluster answered.` } });
  } else if (diff.differences.length === 0) {
    text = `All ${diff.appCount} apps on ${diff.environment} run the same versions as ${diff.comparedWith.join(', ')}`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `:white_check_mark: All ${diff.appCount} app${diff.appCount === 1 ? '' : 's'} on ${env} run the same versions as ${withWhom}.` } });
  } else {
    const columns = [diff.environment, ...diff.comparedWith];
    const rows = diff.differences.map((d) => [d.app, ...columns.map((cluster) => (d.versions[cluster]?.length ? (d.versions[cluster] ?? []).join(', ') : '—'))]);
    text = `${diff.differences.length} of ${diff.appCount} apps on ${diff.environment} differ from ${diff.comparedWith.join(', ')}`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `:twisted_rightwards_arrows: *${diff.differences.length} of ${diff.appCount} app${diff.appCount === 1 ? '' : 's'} on ${env} differ* from ${withWhom} (— = not deployed there):` } });
    const table = codeSections(textTable(['APP', ...columns.map((c) => c.toUpperCase())], rows, 30), { maxBlocks: BLOCK_KIT.blocksPerMessage - 4, maxChars: 9_000 });
    blocks.push(...table.blocks);
    if (!table.complete) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'The table was cut to fit a Slack message: compare one app with `/flux list APP`.' }] });
  }
  const notes = [
    ...(diff.pending ?? []).map((p) => `:hourglass_flowing_sand: ${inlineCode(p.app)} on ${env}${p.owner ? ` (${escapeMrkdwn(p.owner)})` : ''} has not converged: ${escapeMrkdwn(p.why)}`),
    ...((diff.valuesDiffer ?? []).length ? [`Same versions, other values (HelmRelease config digest): ${(diff.valuesDiffer ?? []).map(inlineCode).join(', ')}`] : []),
    ...downNotes(readings).map((note) => `${note} (not compared)`),
    `Compared: each app's chart and app version (from its HelmRelease's release history), and its images. Requested by <@${requester}>.`,
  ];
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(notes.join('\n'), BLOCK_KIT.contextText) }] });
  return { text, blocks };
}
