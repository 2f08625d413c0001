import { readdir, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { UnsafeTarball } from './errors';

/**
 * After extraction, asks the kernel where every link in the checkout leads: each must resolve inside it
 * (the checkout folder itself excluded), or dangle. Only links need asking: the walk enters real folders
 * only, so a file or folder it reaches is inside by construction.
 */
export async function verifyCheckout(root: string): Promise<void> {
  const inside = root + sep;
  const folders = [root];
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) folders.push(path);
      else if (entry.isSymbolicLink()) {
        const resolved = await realpath(path).catch((err: NodeJS.ErrnoException) => {
          // A link to a file the checkout left out (or never had) leads nowhere, which is harmless.
          if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return undefined;
          throw new UnsafeTarball(`link ${JSON.stringify(path.slice(inside.length))} cannot be resolved (${err.code ?? err.message})`);
        });
        if (resolved !== undefined && !resolved.startsWith(inside)) throw new UnsafeTarball(`link ${JSON.stringify(path.slice(inside.length))} resolves outside the checkout`);
      }
    }
  }
}
