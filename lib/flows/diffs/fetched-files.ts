import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Contents calls under way at once, when a checkout is written file by file (checkout-cache.ts, named-inputs.ts). */
const FETCHES_IN_FLIGHT = 8;

/** Runs `fetchAndWrite` for every path, FETCHES_IN_FLIGHT at a time; rejects with the first failure. */
export async function forEachFetched(paths: readonly string[], fetchAndWrite: (path: string) => Promise<void>): Promise<void> {
  const queue = [...paths];
  const worker = async () => {
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) await fetchAndWrite(path);
  };
  await Promise.all(Array.from({ length: Math.min(FETCHES_IN_FLIGHT, queue.length) }, worker));
}

/** A fetched file written into the checkout, its folder made; 'wx' (O_EXCL): never written through a link. */
export async function writeFetchedFile(target: string, bytes: Buffer): Promise<void> {
  await mkdir(dirname(target), { recursive: true, mode: 0o755 });
  await writeFile(target, bytes, { flag: 'wx', mode: 0o644 });
}
