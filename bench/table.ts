// The one table `npm run bench` prints: every figure next to its peer's and its goal (met / MISSED).
import type { ColdFigures } from './phases/cold';
import type { WarmFigures } from './phases/warm';
import type { burst } from './phases/burst';
import type { outage } from './phases/outage';
import { GOALS, allMet, atMost, goalText } from './lib/goals';
import { round } from './lib/stats';

export interface Results {
  settings: { coldRuns: number; warmRequests: number } & Record<string, unknown>;
  bundles: Record<string, { kb: number }>;
  coldInit?: Record<string, ColdFigures>;
  warmLatency?: Record<string, WarmFigures>;
  burst?: Awaited<ReturnType<typeof burst>>;
  outage?: Awaited<ReturnType<typeof outage>>;
  /** Per size: figures, and how the jobs checked the commit out (`checkout`). */
  diffOverhead?: Record<string, Record<string, number> & { checkout?: string }>;
}

export function table(results: Results): string {
  const { bundles, coldInit: cold, warmLatency: warm, burst: burstResult, outage: outageResult, diffOverhead: diff } = results;
  const rows: string[][] = [];
  const section = (title: string) => rows.push([`— ${title}`]);
  const ratio = (ours: number | undefined, theirs: number | undefined) => (ours && theirs ? `${round(ours / theirs, 2)}×` : '');
  const kb = GOALS.ingressBundleKB;

  section('1. Bundle size (esbuild, minified)');
  rows.push(['', 'Fluxline', 'Probot / Bolt', 'ratio', 'goal']);
  rows.push(['github-webhook vs Probot', `${bundles['github-webhook']?.kb} KB`, `${bundles.probot?.kb} KB`, ratio(bundles['github-webhook']?.kb, bundles.probot?.kb), goalText(atMost(bundles['github-webhook']?.kb, kb), `≤ ${kb} KB`)]);
  rows.push(['slack vs Bolt', `${bundles.slack?.kb} KB`, `${bundles.bolt?.kb} KB`, ratio(bundles.slack?.kb, bundles.bolt?.kb), goalText(atMost(bundles.slack?.kb, kb), `≤ ${kb} KB`)]);
  rows.push(['worker / flux-events / health', `${bundles.worker?.kb} / ${bundles['flux-events']?.kb} / ${bundles.health?.kb} KB`, '', '', '']);

  if (cold) {
    section(`2. Cold init: process start -> first response, ms (median / p90 of ${results.settings.coldRuns})`);
    rows.push(['', 'Fluxline', 'Probot / Bolt', 'ratio of medians', 'goal']);
    for (const [ours, peer] of [['github-webhook', 'probot'], ['slack', 'bolt']] as const) {
      const a = cold[ours];
      const b = cold[peer];
      if (!a || !b) continue;
      rows.push([`${ours} vs ${peer === 'probot' ? 'Probot' : 'Bolt'}`, `${a.medianMs} / ${a.p90Ms}`, `${b.medianMs} / ${b.p90Ms}`, ratio(a.medianMs, b.medianMs), goalText(atMost(a.medianMs / b.medianMs, GOALS.coldRatio), `≤ ${GOALS.coldRatio}×`)]);
      rows.push(['  of which load / first request', `${a.medianLoadMs} / ${a.medianFirstRequestMs}`, `${b.medianLoadMs} / ${b.medianFirstRequestMs}`, '', '']);
    }
  }
  if (warm) {
    section(`3. Warm latency, ms p50 / p99 over ${results.settings.warmRequests} requests (own = total - waiting on DynamoDB Local and fakes)`);
    rows.push(['', 'total', 'own work', 'DynamoDB Local', 'fakes (GitHub, Slack, SQS)']);
    for (const name of ['github-webhook', 'probot', 'slack', 'bolt']) {
      const w = warm[name];
      if (!w) continue;
      rows.push([name, `${w.totalMs.p50} / ${w.totalMs.p99}`, `${w.ownMs.p50} / ${w.ownMs.p99}`, `${w.dynamoDbMs.p50} / ${w.dynamoDbMs.p99}`, `${w.fakesMs.p50} / ${w.fakesMs.p99}`]);
    }
    const webhookP99 = warm['github-webhook']?.ownMs.p99;
    const slackP99 = warm.slack?.ownMs.p99;
    rows.push([
      `own work p99 goal (≤ ${GOALS.warmOwnP99Ms} ms)`,
      `webhook ${atMost(webhookP99, GOALS.warmOwnP99Ms)}, slack ${atMost(slackP99, GOALS.warmOwnP99Ms)}`,
      '',
      `vs Probot own p99: ${ratio(webhookP99, warm.probot?.ownMs.p99)}`,
      `vs Bolt own p99: ${ratio(slackP99, warm.bolt?.ownMs.p99)}`,
    ]);
    rows.push(['slack own p99 ≤ Bolt’s', goalText(atMost(slackP99, warm.bolt?.ownMs.p99), `${slackP99} vs ${warm.bolt?.ownMs.p99} ms`), '', '', '']);
  }
  if (burstResult) {
    const b = burstResult;
    section(`4. Burst: ${b.deliveries} deliveries at once to npm start (${b.redeliveries} redeliveries)`);
    rows.push(['deliveries / s', String(b.deliveriesPerSecond), `all done in ${b.workSeconds} s`, `answer p50 / p99 ${b.answerMs.p50} / ${b.answerMs.p99} ms`, `${b.answeredAfter10s} answered after 10 s (${b.timedOut} timed out in the handler)`]);
    rows.push(['answers under 1 s', `${b.deliveries - b.answeredAfter1s} of ${b.deliveries}`, `max ${b.answerMs.max} ms`, '', goalText(b.answeredAfter1s === 0 ? 'met' : 'MISSED', 'every answer < 1 s')]);
    rows.push(['Slack posts', `${b.slackPosts} for ${b.uniquePullRequests} PRs`, `lost ${b.lostPosts}, duplicated ${b.duplicatePosts}`, `settled ${b.postsSettledAfterSeconds} s after the answers`, goalText(allMet(atMost(b.lostPosts, 0), atMost(b.duplicatePosts, 0)), '0 / 0')]);
  }
  if (outageResult) {
    const o = outageResult;
    section(`4b. Outage: Slack answers 503 for ${o.outageSeconds} s of ${o.deliveries} deliveries; 1 PR in 10 fails its first GitHub files call`);
    rows.push(['Slack posts', `${o.slackPosts} for ${o.uniquePullRequests} PRs`, `lost ${o.lostPosts}, duplicated ${o.duplicatePosts}`, `last ${o.lastPostAfterSlackBackSeconds ?? '–'} s after Slack was back`, goalText(allMet(atMost(o.lostPosts, 0), atMost(o.duplicatePosts, 0)), '0 / 0')]);
    rows.push(['injected failures / retries', `Slack ${o.injectedFailures.slack}, GitHub ${o.injectedFailures.github}`, `retries seen ${o.retriesSeen}`, `dead-lettered ${o.deadLettered}`, `answer p99 ${o.answerMs.p99} ms`]);
  }
  if (diff) {
    section('5. Diff overhead: worker time outside the flux process (median of runs), beside the gunzip floor of the same tarball');
    rows.push(['tarball', 'overhead ms (max)', 'gunzip floor ms, ratio', 'flux ms, peak RSS MB', 'goal']);
    const { warmSecond: warm2, ...sizes } = diff;
    // The RSS of each 200 MB row against the 50 MB row checked out the same way.
    const at50 = (d: Record<string, unknown>) => Object.values(sizes).find((other) => Math.round(Number(other.tarballMB ?? 0)) === 50 && other.checkout === d.checkout);
    for (const d of Object.values(sizes)) {
      const mb = Math.round(d.tarballMB ?? 0);
      const ratioMet = allMet(atMost(d.floorRatio, GOALS.diffFloorRatio), atMost(d.floorRatioMax, GOALS.diffFloorRatio));
      const goal =
        mb === 50
          ? goalText(allMet(ratioMet, atMost(d.overheadMs, GOALS.diffOverheadMs), atMost(d.overheadMaxMs, GOALS.diffOverheadMs), atMost(d.peakRssMB, GOALS.diffPeakRssMB)), `≤ ${GOALS.diffFloorRatio}× floor, ≤ ${GOALS.diffOverheadMs} ms, ≤ ${GOALS.diffPeakRssMB} MB`)
          : mb >= 100
            ? goalText(allMet(ratioMet, atMost((d.peakRssMB ?? NaN) / (at50(d)?.peakRssMB ?? NaN), GOALS.diffRssGrowth)), `≤ ${GOALS.diffFloorRatio}× floor, RSS ≤ ${GOALS.diffRssGrowth}× the 50 MB row`)
            : '';
      const how = d.checkout === 'tarball' ? 'from its tarball' : d.checkout === 'file by file' ? `file by file (${d.contentsCalls} files)` : String(d.checkout ?? '');
      rows.push([`${d.tarballMB} MB, ${how}`, `${d.overheadMs} (max ${d.overheadMaxMs})`, `${d.gunzipFloorMs}, ${d.floorRatio}× (max ${d.floorRatioMax}×)`, `${d.fluxMs}, ${d.peakRssMB}`, goal]);
      if (d.archiveStreamMs !== undefined) rows.push([`  of which the archive's stream`, `${d.archiveStreamMs}`, `${ratio(d.archiveStreamMs, d.gunzipFloorMs)} the floor`, '', '']);
    }
    if (warm2) {
      rows.push([
        `second diff, warm, 1 new commit (${warm2.tarballMB} MB)`,
        `${warm2.overheadMs} (max ${warm2.overheadMaxMs})`,
        `first diff ${warm2.firstOverheadMs}`,
        `${warm2.fluxMs}`,
        goalText(allMet(atMost(warm2.overheadMs, GOALS.diffWarmSecondMs), atMost(warm2.overheadMaxMs, GOALS.diffWarmSecondMs)), `≤ ${GOALS.diffWarmSecondMs} ms`),
      ]);
    }
  }
  const widths = [34, 22, 22, 26, 28];
  return `\n${rows.map((r) => (r.length === 1 ? `\n${r[0]}` : r.map((cell, i) => cell.padEnd(widths[i] ?? 10)).join(' ').trimEnd())).join('\n')}\n`;
}
