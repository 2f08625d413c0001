import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './common.mjs';

/** Where a running npm start says which stand-ins it runs: .cache/start/<port>.json (`npm run outage` reads it). */
export const standInsDir = join(root, '.cache', 'start');

/**
 * Writes { port, pid, standIns: { slack: { url, faultsUrl }, github: {…} } } for the stand-ins that can be
 * made to fail; returns a function that removes the file.
 */
export function writeStandInsFile(port, standIns) {
  const file = join(standInsDir, `${port}.json`);
  const entries = standIns.filter((s) => s.faultsUrl).map((s) => [s.name.toLowerCase(), { faultsUrl: s.faultsUrl }]);
  mkdirSync(standInsDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify({ port, pid: process.pid, standIns: Object.fromEntries(entries) }, null, 2)}\n`);
  return () => rmSync(file, { force: true });
}
