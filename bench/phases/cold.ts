// 2. Cold init: fresh processes (children/cold.mjs) per target, interleaved so a noisy moment hits all alike.
import { join } from 'node:path';
import { cpuProfileFlags, readJson, runChild } from '../lib/child';
import { SETTINGS, log } from '../lib/settings';
import { median, quantile, round } from '../lib/stats';
import { checkWorkDone, root, workMark, type World } from '../lib/world';

export interface ColdFigures {
  bundle: string;
  medianMs: number;
  p90Ms: number;
  medianLoadMs: number;
  medianFirstRequestMs: number;
  medianNodeBootstrapMs: number;
  medianWallFromSpawnMs: number;
  samplesMs: number[];
}

export async function coldInit(world: World): Promise<Record<string, ColdFigures>> {
  const runs = SETTINGS.coldRuns;
  const { targets } = world;
  log(`cold init: ${runs} fresh processes for each of ${targets.map((t) => t.name).join(', ')} (interleaved)`);
  const cold: Record<string, { total: number[]; load: number[]; firstRequest: number[]; bootstrap: number[]; wall: number[] }> = {};
  for (const t of targets) cold[t.name] = { total: [], load: [], firstRequest: [], bootstrap: [], wall: [] };
  world.registerPullRequests(world.nextNumber, runs * targets.length);
  const before = workMark(world);
  for (let run = 0; run < runs; run++) {
    for (const t of targets) {
      const number = world.nextNumber++;
      const resultFile = join(world.work, `cold-${t.name}-${run}.json`);
      const child = await runChild([...cpuProfileFlags(`cold-${t.name}-${run}`), 'bench/children/cold.mjs', t.bundle, t.spec, String(number), resultFile], t.env);
      if (child.code !== 0) throw new Error(`cold ${t.name} exited ${child.code}:\n${child.stderr}`);
      const r = readJson<{ total: number; load: number; firstRequest: number; bootstrap: number; status: number; body: string }>(resultFile);
      // 200 when the webhook posts before it answers, 202 once it answers as soon as the delivery is queued.
      if (r.status !== 200 && r.status !== 202) throw new Error(`cold ${t.name}: HTTP ${r.status} ${r.body}\n${child.stderr}`);
      const c = cold[t.name];
      if (!c) continue;
      c.total.push(r.total);
      c.load.push(r.load);
      c.firstRequest.push(r.firstRequest);
      c.bootstrap.push(r.bootstrap);
      c.wall.push(child.wallMs);
    }
  }
  checkWorkDone(world, 'cold init', before, runs * targets.length);
  return Object.fromEntries(
    targets.map((t) => {
      const c = cold[t.name];
      if (!c) throw new Error('unreachable');
      const figures: ColdFigures = {
        bundle: t.bundle.slice(root.length + 1),
        medianMs: round(median(c.total)),
        p90Ms: round(quantile(c.total, 0.9)),
        medianLoadMs: round(median(c.load)),
        medianFirstRequestMs: round(median(c.firstRequest)),
        medianNodeBootstrapMs: round(median(c.bootstrap)),
        medianWallFromSpawnMs: round(median(c.wall)),
        samplesMs: c.total.map((v) => round(v)),
      };
      return [t.name, figures];
    }),
  );
}
