#!/usr/bin/env node
// Builds the flux Lambda layer: downloads a pinned flux release, verifies the archive's sha256 against
// the sha256 pinned in this repository (pins.json) and the release's checksums file, and extracts the `flux` binary to infra/layer/bin/flux, which the layer
// mounts as /opt/bin/flux (FLUX_BIN's default). No dependencies beyond node:, so it runs before `npm ci`.
//
//   node infra/flux-layer/build.mjs [--version 2.9.5] [--arch arm64|amd64] [--from <dir>] [--out <layer dir>] [--pins <file>]
//
// --from <dir> reads flux_<V>_linux_<arch>.tar.gz and flux_<V>_checksums.txt from <dir> instead of
// GitHub: for offline builds and for the tests. The checksum is verified either way.
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** Pinned flux release (github.com/fluxcd/flux2/releases/tag/v2.9.5). Bump deliberately, never "latest". */
export const FLUX_VERSION = '2.9.5';
/** DESIGN §4: the functions run on arm64 (Graviton). */
export const DEFAULT_ARCH = 'arm64';
/** ELF e_machine of each architecture flux ships for Linux, to refuse a binary Lambda could not run. */
const ELF_MACHINE = { arm64: 0xb7, amd64: 0x3e };
export const DEFAULT_LAYER_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../layer');
const PINS_FILE = resolve(dirname(fileURLToPath(import.meta.url)), 'pins.json');
/**
 * sha256 of each release archive, per version and architecture, committed here. The checksums file sits in
 * the same release as the archive, so whoever can swap one can swap both: it proves integrity only. A pin
 * reviewed into this repository is what proves the archive is the one flux2 published.
 */
export const PINNED_SHA256 = readPins(PINS_FILE);

export class LayerBuildError extends Error {
  constructor(message) {
    super(message);
    this.name = 'LayerBuildError';
  }
}

/** The checksums file has no line for the archive: nothing to verify it against, so it is refused. */
export class ChecksumEntryMissing extends LayerBuildError {
  constructor(fileName) {
    super(`the release's checksums file has no sha256 for ${fileName}: refusing an archive that cannot be verified`);
    this.name = 'ChecksumEntryMissing';
  }
}

export class ChecksumMismatch extends LayerBuildError {
  constructor(fileName, expected, actual) {
    super(`sha256 of ${fileName} is ${actual}, but the release's checksums file says ${expected}: refusing it`);
    this.name = 'ChecksumMismatch';
  }
}

/** No sha256 is pinned for this version and architecture: nothing authentic to check the download against. */
export class NotPinned extends LayerBuildError {
  constructor(version, arch) {
    super(
      `flux ${version} linux/${arch} has no pinned sha256 in infra/flux-layer/pins.json: add its line from ` +
        `flux_${version}_checksums.txt (check the file's cosign signature, or compare with the release page) and commit it`,
    );
    this.name = 'NotPinned';
  }
}

/** The archive (and maybe its checksums file) differs from the sha256 pinned in the repository. */
export class PinMismatch extends LayerBuildError {
  constructor(fileName, pinned, actual) {
    super(`the pinned sha256 of ${fileName} is ${pinned}, but the download's is ${actual}: refusing it (was the release asset replaced?)`);
    this.name = 'PinMismatch';
  }
}

export class BinaryNotInArchive extends LayerBuildError {
  constructor(fileName, why) {
    super(`${fileName} does not hold a usable flux binary: ${why}`);
    this.name = 'BinaryNotInArchive';
  }
}

/** Release asset names, as flux2's .goreleaser.yml names them (`{{ .Binary }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}`). */
export function releaseAssets(version, arch) {
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) throw new LayerBuildError(`"${version}" is not a flux release version such as ${FLUX_VERSION}`);
  if (!(arch in ELF_MACHINE)) throw new LayerBuildError(`unsupported architecture "${arch}": use ${Object.keys(ELF_MACHINE).join(' or ')}`);
  return {
    baseUrl: `https://github.com/fluxcd/flux2/releases/download/v${version}/`,
    archive: `flux_${version}_linux_${arch}.tar.gz`,
    checksums: `flux_${version}_checksums.txt`,
  };
}

/** Parses a sha256sum-style file (`<64 hex>  <name>`, `*` before the name in binary mode) into name -> hex. */
export function parseChecksums(text) {
  const sums = new Map();
  for (const line of text.split(/\r?\n/)) {
    const match = /^([0-9a-fA-F]{64})\s+\*?(\S+)\s*$/.exec(line.trim());
    if (!match) continue;
    const [, hex, name] = match;
    const previous = sums.get(name);
    if (previous && previous !== hex.toLowerCase()) throw new LayerBuildError(`the checksums file lists ${name} twice with different sha256`);
    sums.set(name, hex.toLowerCase());
  }
  return sums;
}

export function sha256Hex(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Reads a pins file: `{ "<version>": { "<arch>": "<64 hex>" } }`. */
export function readPins(file) {
  const pins = JSON.parse(readFileSync(file, 'utf8'));
  for (const [version, byArch] of Object.entries(pins)) {
    for (const [arch, hex] of Object.entries(byArch)) {
      if (!/^[0-9a-f]{64}$/.test(hex)) throw new LayerBuildError(`${file}: the pin of flux ${version} ${arch} is not a lowercase sha256`);
    }
  }
  return pins;
}

/**
 * Checks `archive` against the sha256 pinned for it and against its line in the release's checksums file
 * (both must agree: a pin that the release contradicts is as suspect as a swapped archive); returns the sha256.
 */
export function verifyArchive(archive, checksumsText, fileName, pinned) {
  const actual = sha256Hex(archive);
  if (actual !== pinned) throw new PinMismatch(fileName, pinned, actual);
  const expected = parseChecksums(checksumsText).get(fileName);
  if (!expected) throw new ChecksumEntryMissing(fileName);
  if (actual !== expected) throw new ChecksumMismatch(fileName, expected, actual);
  return actual;
}

function cString(bytes, start, length) {
  const field = bytes.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

/** The entries of a POSIX (ustar/GNU/pax) tar: path, type flag and body. */
function* tarEntries(tar) {
  let longName;
  let paxPath;
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) return;
    const sizeField = cString(header, 124, 12).trim();
    const size = sizeField === '' ? 0 : parseInt(sizeField, 8);
    if (!Number.isSafeInteger(size)) throw new LayerBuildError('malformed tar header');
    const type = header[156] === 0 ? '0' : String.fromCharCode(header[156]);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = cString(body, 0, body.length);
    } else if (type === 'x') {
      paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
    } else if (type !== 'g') {
      const prefix = cString(header, 257, 6) === 'ustar' ? cString(header, 345, 155) : '';
      const name = cString(header, 0, 100);
      yield { path: paxPath ?? longName ?? (prefix ? `${prefix}/${name}` : name), type, body };
      longName = paxPath = undefined;
    }
  }
}

/** Takes the `flux` regular file out of a release archive and checks it is a Linux binary for `arch`. */
export function extractFluxBinary(archive, fileName, arch) {
  let tar;
  try {
    tar = gunzipSync(archive);
  } catch (error) {
    throw new BinaryNotInArchive(fileName, `not a gzip archive (${error.message})`);
  }
  const entry = [...tarEntries(tar)].find((e) => e.path.replace(/^\.\//, '') === 'flux');
  if (!entry) throw new BinaryNotInArchive(fileName, 'no `flux` entry');
  if (entry.type !== '0') throw new BinaryNotInArchive(fileName, `\`flux\` is not a regular file (tar type ${entry.type})`);
  const binary = entry.body;
  const isElf64LittleEndian = binary.length >= 20 && binary.readUInt32BE(0) === 0x7f454c46 && binary[4] === 2 && binary[5] === 1;
  if (!isElf64LittleEndian) throw new BinaryNotInArchive(fileName, '`flux` is not a 64-bit Linux (ELF) executable');
  if (binary.readUInt16LE(18) !== ELF_MACHINE[arch]) throw new BinaryNotInArchive(fileName, `\`flux\` is not built for ${arch}`);
  return binary;
}

async function download(url) {
  const response = await fetch(url, { redirect: 'follow' });
  if (!response.ok) throw new LayerBuildError(`GET ${url} answered ${response.status} ${response.statusText}`);
  return Buffer.from(await response.arrayBuffer());
}

async function readAsset(from, name) {
  try {
    return await readFile(join(from, name));
  } catch (error) {
    throw new LayerBuildError(`cannot read ${name} from ${from}: ${error.code ?? error.message}`);
  }
}

/**
 * Fetches (or reads, with `from`), verifies and installs flux into `<layerDir>/bin/flux`, mode 755, and
 * its version into `<layerDir>/bin/flux.version`.
 * Nothing is written unless the checksum and the binary check pass.
 */
export async function buildLayer({ version = FLUX_VERSION, arch = DEFAULT_ARCH, from, layerDir = DEFAULT_LAYER_DIR, pins = PINNED_SHA256 } = {}) {
  const assets = releaseAssets(version, arch);
  const pinned = pins[version]?.[arch];
  if (!pinned) throw new NotPinned(version, arch);
  const fetchAsset = (name) => (from ? readAsset(from, name) : download(`${assets.baseUrl}${name}`));
  const [archive, checksums] = await Promise.all([fetchAsset(assets.archive), fetchAsset(assets.checksums)]);
  const sha256 = verifyArchive(archive, checksums.toString('utf8'), assets.archive, pinned);
  const binary = extractFluxBinary(archive, assets.archive, arch);

  const bin = join(layerDir, 'bin', 'flux');
  await mkdir(dirname(bin), { recursive: true });
  const partial = `${bin}.partial`;
  try {
    await writeFile(partial, binary, { mode: 0o755 });
    await chmod(partial, 0o755); // the umask may have taken bits off
    await rename(partial, bin);
  } finally {
    await rm(partial, { force: true });
  }
  // The version the pinned sha256 proves, beside the binary it names: the worker reads it for the diff
  // report instead of spawning `flux version --client` in every new container (issue #20).
  const versionFile = `${bin}.version`;
  await writeFile(versionFile, `v${version}\n`, { mode: 0o644 });
  return { bin, versionFile, version, arch, archive: assets.archive, sha256 };
}

export function parseArgs(argv) {
  const options = {};
  const names = { '--version': 'version', '--arch': 'arch', '--from': 'from', '--out': 'layerDir', '--pins': 'pins' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    if (flag === '--help' || flag === '-h') return { help: true };
    const key = names[flag];
    if (!key) throw new LayerBuildError(`unknown option ${argv[i]}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new LayerBuildError(`${flag} needs a value`);
    options[key] = key === 'version' ? value.replace(/^v/, '') : key === 'pins' ? readPins(resolve(value)) : key === 'from' || key === 'layerDir' ? resolve(value) : value;
  }
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    console.log('usage: node infra/flux-layer/build.mjs [--version X.Y.Z] [--arch arm64|amd64] [--from <dir>] [--out <layer dir>] [--pins <file>]');
    return;
  }
  const built = await buildLayer(options);
  console.log(`flux ${built.version} linux/${built.arch}: ${built.archive} sha256 ${built.sha256} verified -> ${built.bin}`);
}

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (invokedDirectly) {
  main().catch((error) => {
    console.error(`flux layer: ${error instanceof LayerBuildError ? error.message : error.stack}`);
    process.exitCode = 1;
  });
}
