import { mkdir } from 'node:fs/promises';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { UnsafeTarball } from './errors';

export interface ExtractLimits {
  /** Sum of the entries' sizes once unpacked; /tmp in Lambda is 512 MB by default. */
  maxUnpackedBytes: number;
  maxEntries: number;
}

export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = { maxUnpackedBytes: 400 * 1024 * 1024, maxEntries: 100_000 };

/** GitHub tarballs wrap everything in one `owner-repo-sha/` folder, which we strip. */
function innerPath(path: string): string {
  return path.split('/').slice(1).join('/');
}

function escapes(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:/.test(path) || posix.normalize(path).split('/').includes('..');
}

/**
 * Checks every entry before writing any: no absolute paths, no `..`, no link pointing outside the
 * checkout, no devices, and caps on size and count. Only then extracts, so a hostile PR (forks can
 * open PRs too) never writes outside `/tmp/<job>`.
 */
export async function extractTarball(tarball: Buffer, destination: string, limits: ExtractLimits = DEFAULT_EXTRACT_LIMITS): Promise<{ entries: number; bytes: number }> {
  let entries = 0;
  let bytes = 0;
  let problem: string | undefined;
  const inspect = (entry: tar.ReadEntry) => {
    entries++;
    bytes += entry.size;
    const path = entry.path;
    if (problem) return entry.resume();
    if (escapes(path)) problem = `entry ${JSON.stringify(path)} points outside the checkout`;
    else if (entry.type === 'SymbolicLink' || entry.type === 'Link') {
      const target = entry.linkpath ?? '';
      const resolved = entry.type === 'SymbolicLink' ? posix.join(posix.dirname(innerPath(path)), target) : innerPath(target);
      if (target.startsWith('/') || escapes(resolved) || resolved.startsWith('..')) problem = `link ${JSON.stringify(path)} -> ${JSON.stringify(target)} points outside the checkout`;
    } else if (!['File', 'OldFile', 'ContiguousFile', 'Directory', 'GlobalExtendedHeader', 'ExtendedHeader', 'NextFileHasLongPath', 'NextFileHasLongLinkpath'].includes(entry.type)) {
      problem = `entry ${JSON.stringify(path)} is a ${entry.type}, not a file or folder`;
    }
    if (!problem && entries > limits.maxEntries) problem = `more than ${limits.maxEntries} entries`;
    if (!problem && bytes > limits.maxUnpackedBytes) problem = `more than ${Math.round(limits.maxUnpackedBytes / 1024 / 1024)} MB unpacked`;
    entry.resume();
  };
  try {
    await pipeline(Readable.from([tarball]), tar.t({ onReadEntry: inspect, strict: true }));
  } catch (err) {
    throw new UnsafeTarball(`it is not a valid gzip tar archive (${(err as Error).message})`);
  }
  if (problem) throw new UnsafeTarball(problem);
  if (entries === 0) throw new UnsafeTarball('the archive is empty');

  await mkdir(destination, { recursive: true, mode: 0o700 });
  await pipeline(Readable.from([tarball]), tar.x({ cwd: destination, strip: 1, preservePaths: false, noChmod: true, preserveOwner: false }));
  return { entries, bytes };
}
