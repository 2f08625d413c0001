import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tar from 'tar';

/**
 * A PR tarball as GitHub serves it: one `owner-repo-sha/` folder holding the repository, here a
 * Kustomization at `path` and the `fluxline-scenario` line that tells the stand-in flux
 * (test/fakes/flux/README.md) what to answer. Used by the tests (test/helpers/world.ts) and by
 * `npm start`'s GitHub stand-in (scripts/start.mjs). `files` adds (or, with `null`, leaves out) files by
 * their path in the repository; `path: null` leaves the Kustomization's folder out altogether.
 */
export async function pullRequestTarball(repository: string, sha: string, scenario: string, path: string | null = 'clusters/stage', files: Record<string, string> = {}): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'fluxline-tarball-'));
  try {
    const top = `${repository.replace('/', '-')}-${sha.slice(0, 7)}`;
    mkdirSync(join(dir, top), { recursive: true });
    if (path !== null) {
      mkdirSync(join(dir, top, path), { recursive: true });
      writeFileSync(join(dir, top, path, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n');
      writeFileSync(join(dir, top, path, 'fluxline-scenario'), `${scenario}\n`);
    }
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, top, file)), { recursive: true });
      writeFileSync(join(dir, top, file), content);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of tar.c({ gzip: true, cwd: dir, portable: true }, [top]) as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
