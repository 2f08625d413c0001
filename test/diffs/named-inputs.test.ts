import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { namedInputs } from '../../lib/flows/diffs/named-inputs';

/** A checkout on disk: these files written, `leftOut` left out of it (as the stream leaves large non-YAML files). */
function checkout(root: string, files: Record<string, string | { link: string }>): void {
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    if (typeof body === 'string') writeFileSync(join(root, path), body);
    else symlinkSync(body.link, join(root, path));
  }
}

describe('which left-out files the kustomizations name', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'named-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds names in every spelling kustomize reads: flow lists, quotes, key=path, YAML escapes, patches and transformers', () => {
    // Prepare
    checkout(root, {
      'a/kustomization.yaml': 'configMapGenerator:\n  - name: flow\n    files: [conf=files/flow.conf, "files/quoted.conf"]\n',
      'b/kustomization.yml': 'secretGenerator:\n  - name: escaped\n    files:\n      - "certs/ca\\u002Epem"\n',
      'c/Kustomization': 'patches:\n  - path: big.patch\ntransformers:\n  - ../shared/labels.cfg\n',
      'c/unrelated.yaml': 'files: [never-read.bin]\n',
    });
    const leftOut = ['a/files/flow.conf', 'a/files/quoted.conf', 'b/certs/ca.pem', 'c/big.patch', 'shared/labels.cfg', 'c/never-read.bin', 'vendor/chart.tgz'];

    // Act
    const named = namedInputs(root, new Map(leftOut.map((path) => [path, 100_000])));

    // Assess
    expect(named.sort()).toEqual(['a/files/flow.conf', 'a/files/quoted.conf', 'b/certs/ca.pem', 'c/big.patch', 'shared/labels.cfg']);
  });

  it('resolves a name through linked folders to the file the kernel would open, and never outside the checkout', () => {
    // Prepare
    checkout(root, {
      'apps/web/kustomization.yaml': 'configMapGenerator:\n  - name: linked\n    files:\n      - ../shared/site.conf\n      - ../../../etc/passwd\n      - /etc/hosts\n',
      'apps/shared': { link: '../base/files' },
    });

    // Act
    const named = namedInputs(root, new Map([['base/files/site.conf', 100_000], ['apps/shared/site.conf', 100_000]]));

    // Assess
    expect(named).toEqual(['base/files/site.conf']);
  });

  it('names nothing when nothing was left out, and skips a kustomization file that does not parse', () => {
    // Prepare
    checkout(root, { 'k/kustomization.yaml': 'configMapGenerator: [\n  files: big.conf\n', 'ok/kustomization.yaml': 'configMapGenerator:\n  - name: x\n    files: [big.conf]\n' });

    // Act
    const named = namedInputs(root, new Map([['k/big.conf', 100_000], ['ok/big.conf', 100_000]]));

    // Assess
    expect(named).toEqual(['ok/big.conf']);
    expect(namedInputs(root, new Map())).toEqual([]);
  });
});
