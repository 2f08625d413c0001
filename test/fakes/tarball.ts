import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';

/**
 * A PR tarball as GitHub serves it: one `owner-repo-sha/` folder holding the repository, here a
 * Kustomization at `path` and the `fluxline-scenario` line that tells the stand-in flux
 * (test/fakes/flux/README.md) what to answer. Used by the tests (test/helpers/world.ts) and by
 * `npm start`'s GitHub stand-in (scripts/start.mjs).
 */
export async function pullRequestTarball(repository: string, sha: string, scenario: string, path = 'clusters/stage'): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'fluxline-tarball-'));
  try {
    const top = `${repository.replace('/', '-')}-${sha.slice(0, 7)}`;
    mkdirSync(join(dir, top, path), { recursive: true });
    writeFileSync(join(dir, top, path, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n');
    writeFileSync(join(dir, top, path, 'fluxline-scenario'), `${scenario}\n`);
    const chunks: Buffer[] = [];
    for await (const chunk of tar.c({ gzip: true, cwd: dir, portable: true }, [top]) as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
