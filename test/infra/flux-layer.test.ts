import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tar from 'tar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BinaryNotInArchive,
  buildLayer,
  ChecksumEntryMissing,
  ChecksumMismatch,
  FLUX_VERSION,
  NotPinned,
  parseArgs,
  PINNED_SHA256,
  PinMismatch,
  parseChecksums,
  releaseAssets,
  sha256Hex,
} from '../../infra/flux-layer/build.mjs';

const BUILD_SCRIPT = resolve(dirname(fileURLToPath(import.meta.url)), '../../infra/flux-layer/build.mjs');
const VERSION = '2.9.5';
const ARCHIVE = `flux_${VERSION}_linux_arm64.tar.gz`;
const CHECKSUMS = `flux_${VERSION}_checksums.txt`;

/** The first bytes of a 64-bit little-endian ELF executable for `machine` (0xb7 arm64, 0x3e amd64), then filler. */
function fakeElf(machine: number): Buffer {
  const binary = Buffer.alloc(4096, 0x90);
  binary.writeUInt32BE(0x7f454c46, 0);
  binary[4] = 2;
  binary[5] = 1;
  binary.writeUInt16LE(machine, 18);
  return binary;
}

/** A release-like gzip tar holding `entries` (name -> content, or a symlink target), like goreleaser's. */
async function releaseArchive(entries: Record<string, Buffer | { symlink: string }>): Promise<Buffer> {
  const root = mkdtempSync(join(tmpdir(), 'flux-release-'));
  for (const [name, content] of Object.entries(entries)) {
    if (Buffer.isBuffer(content)) writeFileSync(join(root, name), content, { mode: 0o755 });
    else symlinkSync(content.symlink, join(root, name));
  }
  const chunks: Buffer[] = [];
  for await (const chunk of tar.c({ cwd: root, gzip: true, portable: true }, Object.keys(entries))) chunks.push(Buffer.from(chunk as Uint8Array));
  rmSync(root, { recursive: true, force: true });
  return Buffer.concat(chunks);
}

/** A checksums file as goreleaser writes it, with our archive's line (or not) among the others. */
function checksumsFile(archiveLine: string | undefined): string {
  const other = (name: string) => `${sha256Hex(Buffer.from(name))}  ${name}`;
  return [other(`flux_${VERSION}_darwin_arm64.tar.gz`), ...(archiveLine ? [archiveLine] : []), other(`flux_${VERSION}_linux_amd64.tar.gz`), other(`flux_${VERSION}_windows_amd64.zip`), ''].join('\n');
}

/** Pins `archive` as the release's own arm64 archive, as pins.json does for the real one. */
const pinned = (archive: Buffer) => ({ [VERSION]: { arm64: sha256Hex(archive) } });

describe('flux layer build', () => {
  let downloads: string;
  let layer: string;

  beforeEach(() => {
    downloads = mkdtempSync(join(tmpdir(), 'flux-downloads-'));
    layer = join(mkdtempSync(join(tmpdir(), 'flux-layer-')), 'layer');
  });
  afterEach(() => {
    rmSync(downloads, { recursive: true, force: true });
    rmSync(dirname(layer), { recursive: true, force: true });
  });

  const stage = (archive: Buffer, checksums: string) => {
    writeFileSync(join(downloads, ARCHIVE), archive);
    writeFileSync(join(downloads, CHECKSUMS), checksums);
  };

  it('pins a 2.x release and names its assets as the flux2 releases do', () => {
    // Act
    const assets = releaseAssets(FLUX_VERSION, 'arm64');

    // Assess
    expect(FLUX_VERSION).toMatch(/^2\.\d+\.\d+$/);
    expect(assets).toEqual({
      baseUrl: `https://github.com/fluxcd/flux2/releases/download/v${FLUX_VERSION}/`,
      archive: `flux_${FLUX_VERSION}_linux_arm64.tar.gz`,
      checksums: `flux_${FLUX_VERSION}_checksums.txt`,
    });
  });

  it('parses a checksums file, with or without the binary-mode asterisk', () => {
    // Prepare
    const a = 'a'.repeat(64);
    const b = 'B'.repeat(64);
    const text = `${a}  flux_2.9.5_linux_arm64.tar.gz\r\n${b} *flux_2.9.5_checksums.sig\nnot a checksum line\n\n`;

    // Act
    const sums = parseChecksums(text);

    // Assess
    expect([...sums]).toEqual([
      ['flux_2.9.5_linux_arm64.tar.gz', a],
      ['flux_2.9.5_checksums.sig', 'b'.repeat(64)],
    ]);
  });

  it('extracts a verified archive to bin/flux, executable', async () => {
    // Prepare
    const binary = fakeElf(0xb7);
    const archive = await releaseArchive({ flux: binary });
    stage(archive, checksumsFile(`${sha256Hex(archive)}  ${ARCHIVE}`));

    // Act
    const built = await buildLayer({ version: VERSION, arch: 'arm64', from: downloads, layerDir: layer, pins: pinned(archive) });

    // Assess
    expect(built.bin).toBe(join(layer, 'bin', 'flux'));
    expect(built.sha256).toBe(sha256Hex(archive));
    expect(readFileSync(built.bin).equals(binary)).toBe(true);
    expect(statSync(built.bin).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(layer, 'bin', 'flux.version'), 'utf8')).toBe(`v${VERSION}\n`);
  });

  it.each([
    ['a sha256 that does not match', (archive: Buffer) => checksumsFile(`${sha256Hex(Buffer.concat([archive, Buffer.from('x')]))}  ${ARCHIVE}`), ChecksumMismatch],
    ['no line for the archive', () => checksumsFile(undefined), ChecksumEntryMissing],
    ['an empty checksums file', () => '', ChecksumEntryMissing],
  ])('refuses an archive with %s and writes nothing', async (_, checksums, error) => {
    // Prepare
    const archive = await releaseArchive({ flux: fakeElf(0xb7) });
    stage(archive, checksums(archive));

    // Act
    const build = buildLayer({ version: VERSION, arch: 'arm64', from: downloads, layerDir: layer, pins: pinned(archive) });

    // Assess
    await expect(build).rejects.toBeInstanceOf(error);
    expect(existsSync(join(layer, 'bin', 'flux'))).toBe(false);
  });

  it.each([
    ['no flux entry', { kubectl: fakeElf(0xb7) }, /no `flux` entry/],
    ['a flux symlink', { flux: { symlink: '/bin/sh' } }, /not a regular file/],
    ['a flux that is not an ELF binary', { flux: Buffer.from('#!/bin/sh\necho pwned\n') }, /not a 64-bit Linux/],
    ['an amd64 flux in an arm64 release', { flux: fakeElf(0x3e) }, /not built for arm64/],
  ])('refuses a verified archive with %s', async (_, entries, reason) => {
    // Prepare
    const archive = await releaseArchive(entries);
    stage(archive, checksumsFile(`${sha256Hex(archive)}  ${ARCHIVE}`));

    // Act
    const build = buildLayer({ version: VERSION, arch: 'arm64', from: downloads, layerDir: layer, pins: pinned(archive) });

    // Assess
    await expect(build).rejects.toThrow(BinaryNotInArchive);
    await expect(build).rejects.toThrow(reason);
    expect(existsSync(join(layer, 'bin', 'flux'))).toBe(false);
  });

  it('refuses an archive swapped together with its checksums file, when it is not the pinned sha256', async () => {
    // Prepare: whoever can replace a release asset can replace the checksums file beside it, so the
    // release's own file proves integrity only; the sha256 pinned in the repository is what proves authenticity.
    const genuine = await releaseArchive({ flux: fakeElf(0xb7) });
    const swapped = await releaseArchive({ flux: Buffer.concat([fakeElf(0xb7), Buffer.from('backdoor')]) });
    stage(swapped, checksumsFile(`${sha256Hex(swapped)}  ${ARCHIVE}`));

    // Act
    const build = buildLayer({ version: VERSION, arch: 'arm64', from: downloads, layerDir: layer, pins: { [VERSION]: { arm64: sha256Hex(genuine) } } });

    // Assess
    await expect(build).rejects.toBeInstanceOf(PinMismatch);
    await expect(build).rejects.toThrow(`pinned sha256 of ${ARCHIVE} is ${sha256Hex(genuine)}`);
    expect(existsSync(join(layer, 'bin', 'flux'))).toBe(false);
  });

  it('refuses a version or architecture with no pinned sha256, and says where to add one', async () => {
    // Prepare
    const archive = await releaseArchive({ flux: fakeElf(0xb7) });
    stage(archive, checksumsFile(`${sha256Hex(archive)}  ${ARCHIVE}`));

    // Act
    const build = buildLayer({ version: VERSION, arch: 'arm64', from: downloads, layerDir: layer, pins: { [VERSION]: { amd64: 'a'.repeat(64) } } });

    // Assess
    await expect(build).rejects.toBeInstanceOf(NotPinned);
    await expect(build).rejects.toThrow(/infra\/flux-layer\/pins\.json/);
    expect(existsSync(join(layer, 'bin', 'flux'))).toBe(false);
  });

  it('pins the shipped release for both Linux architectures, as published by flux2', () => {
    // The values of the flux2 v2.9.5 release (flux_2.9.5_checksums.txt), cross-checked against other projects that pin them.
    expect(PINNED_SHA256[FLUX_VERSION]).toEqual({
      amd64: 'b853df82adfd7736f580692f9f734473d571606307139f8fd20c2a80dd1ff473',
      arm64: 'f3e159af616ec0b9bd0a405c2185cf09d06b74652c1de3c7f377e8166826651a',
    });
  });

  it('refuses a version that is not a release number', () => {
    expect(() => releaseAssets('2.9.5/../../evil', 'arm64')).toThrow(/not a flux release version/);
  });

  it('as a command, refuses the release when the pins file in the repository does not pin it', async () => {
    // Prepare: a release-like archive that is not flux2's, with a checksums file that agrees with it
    const archive = await releaseArchive({ flux: fakeElf(0xb7) });
    stage(archive, checksumsFile(`${sha256Hex(archive)}  ${ARCHIVE}`));

    // Act
    const run = spawnSync(process.execPath, [BUILD_SCRIPT, '--version', VERSION, '--arch', 'arm64', '--from', downloads, '--out', layer], { encoding: 'utf8' });

    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^flux layer: the pinned sha256 of flux_2\.9\.5_linux_arm64\.tar\.gz is f3e159af/);
    expect(existsSync(join(layer, 'bin', 'flux'))).toBe(false);
  });

  it('reads its flags, with or without =', () => {
    expect(parseArgs(['--version', 'v2.9.5', '--arch=amd64', '--from', '/tmp/dl'])).toEqual({ version: '2.9.5', arch: 'amd64', from: '/tmp/dl' });
    expect(() => parseArgs(['--latest'])).toThrow(/unknown option --latest/);
  });

  it.each([
    ['builds the layer from downloaded files', true, 0, /sha256 [0-9a-f]{64} verified/],
    ['exits 1 and says why when the checksum does not match', false, 1, /^flux layer: sha256 of flux_2\.9\.5_linux_arm64\.tar\.gz is [0-9a-f]{64}, but/],
  ])('as a command, %s', async (_, goodChecksum, status, output) => {
    // Prepare
    const archive = await releaseArchive({ flux: fakeElf(0xb7) });
    stage(archive, checksumsFile(`${goodChecksum ? sha256Hex(archive) : 'f'.repeat(64)}  ${ARCHIVE}`));
    mkdirSync(layer, { recursive: true });
    const pins = join(downloads, 'pins.json');
    writeFileSync(pins, JSON.stringify(pinned(archive)));

    // Act
    const run = spawnSync(process.execPath, [BUILD_SCRIPT, '--version', VERSION, '--arch', 'arm64', '--from', downloads, '--out', layer, '--pins', pins], { encoding: 'utf8' });

    // Assess
    expect(run.status).toBe(status);
    expect(goodChecksum ? run.stdout : run.stderr).toMatch(output);
    expect(existsSync(join(layer, 'bin', 'flux'))).toBe(goodChecksum);
  });
});
