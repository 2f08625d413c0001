import { parse, type Scalar } from 'yaml';
import { imageTagOf } from '../versions';
import { VersionNotEditable } from './errors';
import type { VersionTarget } from './version-targets';

/** Characters a plain scalar may hold without changing meaning (no `: `, ` #`, leading indicators). */
const SAFE_PLAIN = /^[A-Za-z0-9_][\w.+\-/@:]*$/;

/** The new value written in the node's own quoting style, so the diff shows the value changing and nothing else. */
function render(value: string, style: Scalar.Type | undefined): string {
  switch (style) {
    case 'QUOTE_DOUBLE':
      return JSON.stringify(value);
    case 'QUOTE_SINGLE':
      return `'${value.replace(/'/g, "''")}'`;
    default:
      // `6.6` or `true` written plain would read back as a number or a boolean, which the API server refuses.
      if (!SAFE_PLAIN.test(value) || parse(value) !== value) return JSON.stringify(value);
      return value;
  }
}

/** `ghcr.io/org/app:1.2.3@sha256:…` with the tag replaced and the digest dropped (it pins the old image). */
function withTag(image: string, version: string): string {
  const [withoutDigest = ''] = image.split('@', 1);
  const tag = imageTagOf(withoutDigest);
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return tag !== undefined && colon >= 0 ? `${withoutDigest.slice(0, colon)}:${version}` : `${withoutDigest}:${version}`;
}

/**
 * The file with every target set to `version`, spliced into the original text at each scalar's range:
 * comments, indentation, key order and every other byte outside the edited values stay as they were
 * (re-stringifying a Document would normalize them).
 */
export function spliceVersion(path: string, text: string, targets: VersionTarget[], version: string): string {
  const problem = targets.find((target) => target.problem);
  if (problem?.problem) throw new VersionNotEditable(path, problem.problem);
  let result = text;
  for (const target of [...targets].sort((a, b) => b.range[0] - a.range[0])) {
    const value = target.kind === 'container-image' && target.image ? withTag(target.image, version) : version;
    result = `${result.slice(0, target.range[0])}${render(value, target.style)}${result.slice(target.range[1])}`;
  }
  return result;
}
