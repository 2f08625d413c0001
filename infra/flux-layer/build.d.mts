export const FLUX_VERSION: string;
export const DEFAULT_ARCH: 'arm64';
export const DEFAULT_LAYER_DIR: string;

export type Arch = 'arm64' | 'amd64';
/** sha256 of each release archive: version -> architecture -> lowercase hex. */
export type Pins = Record<string, Partial<Record<Arch, string>>>;
export const PINNED_SHA256: Pins;

export class LayerBuildError extends Error {}
export class ChecksumEntryMissing extends LayerBuildError {
  constructor(fileName: string);
}
export class ChecksumMismatch extends LayerBuildError {
  constructor(fileName: string, expected: string, actual: string);
}
export class NotPinned extends LayerBuildError {
  constructor(version: string, arch: Arch);
}
export class PinMismatch extends LayerBuildError {
  constructor(fileName: string, pinned: string, actual: string);
}
export class BinaryNotInArchive extends LayerBuildError {
  constructor(fileName: string, why: string);
}

export function releaseAssets(version: string, arch: Arch): { baseUrl: string; archive: string; checksums: string };
export function parseChecksums(text: string): Map<string, string>;
export function sha256Hex(bytes: Uint8Array): string;
export function readPins(file: string): Pins;
export function verifyArchive(archive: Uint8Array, checksumsText: string, fileName: string, pinned: string): string;
export function extractFluxBinary(archive: Uint8Array, fileName: string, arch: Arch): Buffer;

export interface BuildLayerOptions {
  /** @default FLUX_VERSION */
  version?: string;
  /** @default 'arm64' */
  arch?: Arch;
  /** Read the release assets from this folder instead of GitHub. */
  from?: string;
  /** @default infra/layer */
  layerDir?: string;
  /** @default PINNED_SHA256 (infra/flux-layer/pins.json) */
  pins?: Pins;
}
export function buildLayer(options?: BuildLayerOptions): Promise<{ bin: string; versionFile: string; version: string; arch: Arch; archive: string; sha256: string }>;
export function parseArgs(argv: string[]): BuildLayerOptions & { help?: boolean };
