import type { KnownBlock } from '@slack/web-api';
import { BLOCK_KIT, codeSections, inlineCode, textTable, truncate } from '../../adapters/slack';
import { VersionsError } from './errors';
import { downNotes } from './reading-notes';
import type { ClusterReading } from './read-versions';

export interface EnvironmentDifference {
  app: string;
  /** Cluster -> the versions running there (one, unless the app runs in several namespaces); [] = not deployed. */
  versions: Record<string, string[]>;
}

export interface EnvironmentDiff {
  environment: string;
  /** The other clusters that answered, the ones compared with. */
  comparedWith: string[];
  differences: EnvironmentDifference[];
  /** Apps seen on the environment or the compared clusters. */
  appCount: number;
}

/**
 * Apps whose version on `environment` is not the version of every other cluster that answered —
 * including apps missing on one side — and only those.
 */
export function diffEnvironment(environment: string, readings: ClusterReading[]): EnvironmentDiff {
  const own = readings.find((reading) => reading.cluster === environment);
  if (!own) throw new VersionsError(`\`${environment}\` was not read`);
  if (own.status === 'down') throw new VersionsError(`\`${environment}\` could not be read, so there is nothing to compare: ${own.reason}`);
  const others = readings.filter((reading): reading is Extract<ClusterReading, { status: 'ok' }> => reading.status === 'ok' && reading.cluster !== environment);
  const compared = [own, ...others];
  const versions = new Map<string, Record<string, string[]>>();
  for (const reading of compared) {
    for (const app of reading.apps) {
      const perCluster = versions.get(app.app) ?? Object.fromEntries(compared.map((r) => [r.cluster, [] as string[]]));
      const list = perCluster[reading.cluster] ?? [];
      const version = app.version ?? '?';
      if (!list.includes(version)) list.push(version);
      perCluster[reading.cluster] = list.sort();
      versions.set(app.app, perCluster);
    }
  }
  const key = (list: string[] | undefined) => (list ?? []).join(',');
  const differences = [...versions.entries()]
    .filter(([, perCluster]) => others.some((other) => key(perCluster[other.cluster]) !== key(perCluster[environment])))
    .map(([app, perCluster]) => ({ app, versions: perCluster }))
    .sort((a, b) => a.app.localeCompare(b.app));
  return { environment, comparedWith: others.map((other) => other.cluster), differences, appCount: versions.size };
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
  const notes = [...downNotes(readings).map((note) => `${note} (not compared)`), `Requested by <@${requester}>.`];
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(notes.join('\n'), BLOCK_KIT.contextText) }] });
  return { text, blocks };
}
