import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { covers, reachFrom } from '../../lib/flows/diffs/coverage';
import { buildInputs } from '../helpers/build-inputs';

/**
 * What a diff reads (coverage.ts), against the checkout on disk: the PR's files it does not read are
 * named in the report, and a file it reads is never among them.
 */
describe('what a Kustomization’s build reads (coverage)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'fluxline-coverage-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const write = (files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
  };
  const covered = async (path: string, files: string[]) => {
    const reach = await reachFrom(root, path);
    return files.filter((file) => covers(reach, file, true));
  };

  /**
   * clusters/stage has no kustomization file: flux generates one listing its manifests, and each subfolder
   * with a kustomization file of its own as a resource built by that file (fluxcd/pkg/kustomize).
   */
  const GENERATED = {
    'clusters/stage/namespace.yaml': 'kind: Namespace\n',
    'clusters/stage/plain/config.yaml': 'kind: ConfigMap\n',
    'clusters/stage/team-a/kustomization.yaml': 'resources:\n  - ../../../apps/base\n  - quota.yaml\n',
    'clusters/stage/team-a/quota.yaml': 'kind: ResourceQuota\n',
    'clusters/stage/team-a/unlisted.yaml': 'kind: ConfigMap\n',
    'apps/base/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'apps/base/deployment.yaml': 'kind: Deployment\n',
    'apps/other/deployment.yaml': 'kind: Deployment\n',
  };

  it('follows a subfolder’s kustomization file out of a folder flux generates one for: its ../base is read', async () => {
    // Prepare
    write(GENERATED);

    // Act
    const read = await covered('clusters/stage', ['apps/base/deployment.yaml', 'apps/base/kustomization.yaml', 'clusters/stage/team-a/quota.yaml', 'apps/other/deployment.yaml']);

    // Assess
    expect(read).toEqual(['apps/base/deployment.yaml', 'apps/base/kustomization.yaml', 'clusters/stage/team-a/quota.yaml']);
  });

  it('does not count a file of such a subfolder that its kustomization file does not list', async () => {
    // Prepare
    write(GENERATED);

    // Act
    const read = await covered('clusters/stage', ['clusters/stage/team-a/unlisted.yaml', 'clusters/stage/namespace.yaml', 'clusters/stage/plain/config.yaml']);

    // Assess: the generated file lists the manifests of the folder and of its plain subfolders.
    expect(read).toEqual(['clusters/stage/namespace.yaml', 'clusters/stage/plain/config.yaml']);
  });

  it('counts a file removed from a folder the build walks', async () => {
    // Prepare
    write(GENERATED);

    // Act
    const reach = await reachFrom(root, 'clusters/stage');

    // Assess: absent from the checkout, it sat where the build reads.
    expect(covers(reach, 'clusters/stage/team-a/gone.yaml', false)).toBe(true);
    expect(covers(reach, 'apps/other/gone.yaml', false)).toBe(false);
  });

  describe('against an oracle of what kustomize and flux read', () => {
    const FOLDERS = ['clusters/stage', 'clusters/stage/apps', 'clusters/stage/apps/web', 'clusters/stage/infra', 'apps/base', 'apps/web', 'components/probes', 'shared'];
    /** Each folder: a kustomization file or not (flux generates one), which other kustomized folders it names, a manifest it lists and one it does not. */
    const folderArbitrary = fc.record({ kustomized: fc.boolean(), resources: fc.subarray(FOLDERS, { maxLength: 3 }), component: fc.option(fc.constantFrom(...FOLDERS), { nil: undefined }) });

    it('reads every YAML file the build reads, and no other', async () => {
      await fc.assert(
        fc.asyncProperty(fc.tuple(...FOLDERS.map(() => folderArbitrary)), fc.constantFrom(...FOLDERS), async (layout, path) => {
          // Prepare: a kustomization file names only kustomized folders (kustomize refuses the others).
          rmSync(root, { recursive: true, force: true });
          mkdirSync(root);
          const kustomized = new Set(FOLDERS.filter((_, i) => layout[i]?.kustomized));
          const files: Record<string, string> = {};
          FOLDERS.forEach((folder, i) => {
            const shape = layout[i];
            files[`${folder}/manifest.yaml`] = 'kind: ConfigMap\n';
            files[`${folder}/unlisted.yaml`] = 'kind: ConfigMap\n';
            if (!shape?.kustomized) return;
            const named = (folders: string[]) => folders.filter((other) => other !== folder && kustomized.has(other)).map((other) => relative(folder, other));
            const components = named(shape.component ? [shape.component] : []);
            files[`${folder}/kustomization.yaml`] = `resources:\n${['manifest.yaml', ...named(shape.resources)].map((r) => `  - ${r}\n`).join('')}${components.length ? `components:\n${components.map((c) => `  - ${c}\n`).join('')}` : ''}`;
          });
          write(files);

          // Act
          const reach = await reachFrom(root, path);

          // Assess
          const inputs = new Set(buildInputs(root, path).map((file) => relative(root, file)));
          for (const file of Object.keys(files).filter((name) => name.endsWith('.yaml'))) {
            expect({ file, covered: covers(reach, file, true) }).toEqual({ file, covered: inputs.has(file) });
          }
        }),
        { numRuns: 60 },
      );
    });
  });
});
