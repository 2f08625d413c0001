import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tar from 'tar';

/** A symbolic link in a tarball's files: git stores a link as its target. */
export type TarballLink = { link: string };

/** A GitHub-style tarball of these files (and links): everything under one `acme-fleet-<sha>/` folder, gzipped. */
export async function githubTarball(sha: string, files: Record<string, string | Buffer | TarballLink>): Promise<Buffer> {
  const work = mkdtempSync(join(tmpdir(), 'tarball-src-'));
  const top = `acme-fleet-${sha.slice(0, 7)}`;
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(dirname(join(work, top, path)), { recursive: true });
    if (typeof body === 'object' && 'link' in body) symlinkSync(body.link, join(work, top, path));
    else writeFileSync(join(work, top, path), body);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of tar.c({ cwd: work, gzip: true, portable: true }, [top]) as AsyncIterable<Buffer>) chunks.push(chunk);
  rmSync(work, { recursive: true, force: true });
  return Buffer.concat(chunks);
}
