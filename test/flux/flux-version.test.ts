import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fluxVersion } from '../../lib/adapters/flux';

/**
 * A flux binary that answers `version --client` as flux does and leaves a mark each time it runs, so a
 * test sees whether the worker spawned it. Each test has its own folder: answers are kept per binary path.
 */
function binary(root: string, answer = 'flux: v9.9.9'): { bin: string; ran: () => boolean } {
  const bin = join(root, 'bin', 'flux');
  const mark = join(root, 'ran');
  writeFileSync(bin, `#!/bin/sh\ntouch '${mark}'\necho '${answer}'\n`);
  chmodSync(bin, 0o755);
  return { bin, ran: () => existsSync(mark) };
}

describe('fluxVersion', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'fluxline-version-'));
    // bin/ as in the layer: flux and its version file side by side
    mkdirSync(join(root, 'bin'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const ask = (bin: string) => fluxVersion({ bin, env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, HOME: root }, cwd: root });

  it('reads the version the layer build wrote beside the binary, without running flux', async () => {
    // Prepare
    const flux = binary(root);
    writeFileSync(`${flux.bin}.version`, 'v2.9.5\n');

    // Act
    const version = await ask(flux.bin);

    // Assess
    expect(version).toBe('v2.9.5');
    expect(flux.ran()).toBe(false);
  });

  it('asks flux itself when the binary came without a version file (a FLUX_BIN of your own)', async () => {
    // Prepare
    const flux = binary(root);

    // Act
    const version = await ask(flux.bin);

    // Assess
    expect(version).toBe('v9.9.9');
    expect(flux.ran()).toBe(true);
  });

  it('does not take a version file that is not a version, and asks flux instead', async () => {
    // Prepare
    const flux = binary(root);
    writeFileSync(`${flux.bin}.version`, '`rm -rf /` <!channel>\n');

    // Act
    const version = await ask(flux.bin);

    // Assess
    expect(version).toBe('v9.9.9');
    expect(flux.ran()).toBe(true);
  });

  it('gives no version when flux answers something else, and asks again next time', async () => {
    // Prepare
    const flux = binary(root, 'flux: <@U0ADMIN>');

    // Act
    const first = await ask(flux.bin);
    writeFileSync(`${flux.bin}.version`, 'v2.9.5\n');
    const second = await ask(flux.bin);

    // Assess
    expect(first).toBeUndefined();
    expect(second).toBe('v2.9.5');
  });
});
