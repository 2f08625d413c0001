// 3. Warm latency: one process per target (children/warm.mjs) serves warm-up requests, then the timed ones.
import { join } from 'node:path';
import { cpuProfileFlags, readJson, runChild } from '../lib/child';
import { SETTINGS, WARMUP, log } from '../lib/settings';
import { median, quantile, round } from '../lib/stats';
import { checkWorkDone, workMark, type World } from '../lib/world';

type Percentiles = { p50: number; p99: number };
export interface WarmFigures {
  requests: number;
  totalMs: Percentiles;
  ownMs: Percentiles;
  dynamoDbMs: Percentiles;
  fakesMs: Percentiles;
  outboundCallsPerRequest: number;
}

export async function warmLatency(world: World): Promise<Record<string, WarmFigures>> {
  const count = SETTINGS.warmRequests;
  const warm: Record<string, WarmFigures> = {};
  for (const t of world.targets) {
    log(`warm latency: ${t.name}, ${WARMUP} warm-up + ${count} requests, one at a time`);
    world.registerPullRequests(world.nextNumber, WARMUP + count);
    const before = workMark(world);
    const resultFile = join(world.work, `warm-${t.name}.json`);
    const child = await runChild([...cpuProfileFlags(`warm-${t.name}`), 'bench/children/warm.mjs', t.bundle, t.spec, String(world.nextNumber), String(WARMUP), String(count), resultFile], t.env, 400_000);
    world.nextNumber += WARMUP + count;
    if (child.code !== 0) throw new Error(`warm ${t.name} exited ${child.code}:\n${child.stderr}`);
    const r = readJson<{ samples: { total: number; dynamodb: number; fakes: number; own: number; calls: number }[]; statuses: Record<string, number> }>(resultFile);
    if (Object.keys(r.statuses).some((s) => s !== '200' && s !== '202')) throw new Error(`warm ${t.name}: statuses ${JSON.stringify(r.statuses)}\n${child.stderr}`);
    checkWorkDone(world, `warm ${t.name}`, before, WARMUP + count);
    const pick = (key: 'total' | 'dynamodb' | 'fakes' | 'own') => r.samples.map((s) => s[key]);
    const percentiles = (values: number[]) => ({ p50: round(median(values), 2), p99: round(quantile(values, 0.99), 2) });
    warm[t.name] = {
      requests: r.samples.length,
      totalMs: percentiles(pick('total')),
      ownMs: percentiles(pick('own')),
      dynamoDbMs: percentiles(pick('dynamodb')),
      fakesMs: percentiles(pick('fakes')),
      outboundCallsPerRequest: round(median(r.samples.map((s) => s.calls)), 0),
    };
  }
  return warm;
}
