import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Scalar } from 'yaml';

/**
 * Patches written inline as strings: a Flux Kustomization's `spec.patches[].patch`
 * (kustomize.toolkit.fluxcd.io) and a kustomization.yaml's `patches[].patch` or `patchesStrategicMerge[]`.
 * People write them as literal block scalars (`patch: |`), so a version inside one is a value inside a
 * value: it is found by parsing the block's text, and edited at the matching bytes of the file.
 */
export interface InlinePatch {
  node: Scalar;
  /** The patch's `target.name` and `target.kind`, when it names one (JSON 6902 patches need it). */
  target?: { kind?: string; name?: string };
  /** The patch's own documents, parsed from the block's text. */
  docs: Document[];
  /** Maps an offset in the patch's text to the offset in the file; undefined when the block is not literal. */
  toFile?: (offset: number) => number;
}

const stringOf = (node: unknown) => (isScalar(node) && typeof node.value === 'string' ? node.value : undefined);

/**
 * For a literal block scalar (`|`, `|-`, `|2`), each line of its value is a line of the file with the
 * block's indentation removed, so an offset maps line by line. Folded (`>`) and quoted strings join lines
 * and are refused instead.
 */
function literalOffsets(text: string, node: Scalar): ((offset: number) => number) | undefined {
  if (node.type !== 'BLOCK_LITERAL' || !node.range) return undefined;
  const source = text.slice(node.range[0], node.range[1]);
  const headerEnd = source.indexOf('\n');
  if (headerEnd < 0) return undefined;
  const body = source.slice(headerEnd + 1);
  const lines = body.split('\n');
  const value = String(node.value);
  const valueLines = value.split('\n');
  // The block's indentation, measured rather than read from an indicator (`|2` is relative to the parent).
  const first = valueLines.findIndex((line) => line !== '');
  const indent = first >= 0 ? (lines[first]?.length ?? 0) - (valueLines[first]?.length ?? 0) : 0;
  const bodyStart = node.range[0] + headerEnd + 1;
  const starts: number[] = [];
  let at = bodyStart;
  for (const line of lines) {
    starts.push(at);
    at += line.length + 1;
  }
  // Only a block whose lines really are the value's lines, indented, is edited in place.
  const consistent = valueLines.every((line, i) => line === '' || lines[i]?.slice(indent) === line);
  if (!consistent) return undefined;
  return (offset: number) => {
    let line = 0;
    let lineStart = 0;
    for (let i = 0; i < valueLines.length; i++) {
      const next = lineStart + (valueLines[i]?.length ?? 0) + 1;
      if (offset < next) {
        line = i;
        break;
      }
      lineStart = next;
      line = i + 1;
    }
    return (starts[line] ?? bodyStart) + indent + (offset - lineStart);
  };
}

function inlinePatch(text: string, node: unknown, target: unknown): InlinePatch[] {
  if (!isScalar(node) || typeof node.value !== 'string') return [];
  const docs = parseAllDocuments(node.value);
  if (!Array.isArray(docs) || docs.some((doc) => doc.errors.length > 0)) return [];
  const kind = isMap(target) ? stringOf(target.get('kind', true)) : undefined;
  const name = isMap(target) ? stringOf(target.get('name', true)) : undefined;
  const toFile = literalOffsets(text, node);
  return [{ node, docs, ...(kind || name ? { target: { ...(kind ? { kind } : {}), ...(name ? { name } : {}) } } : {}), ...(toFile ? { toFile } : {}) }];
}

/** Every inline patch of one document of the file. */
export function inlinePatches(text: string, doc: Document): InlinePatch[] {
  if (!isMap(doc.contents)) return [];
  const apiVersion = stringOf(doc.get('apiVersion', true)) ?? '';
  const kind = stringOf(doc.get('kind', true));
  const flux = apiVersion.startsWith('kustomize.toolkit.fluxcd.io/') && kind === 'Kustomization';
  const patches = flux ? doc.getIn(['spec', 'patches'], true) : kind === 'Kustomization' || kind === undefined ? doc.get('patches', true) : undefined;
  const found: InlinePatch[] = [];
  if (isSeq(patches)) {
    for (const entry of patches.items) if (isMap(entry)) found.push(...inlinePatch(text, entry.get('patch', true), entry.get('target', true)));
  }
  const strategic = !flux ? doc.get('patchesStrategicMerge', true) : undefined;
  if (isSeq(strategic)) for (const entry of strategic.items) found.push(...inlinePatch(text, entry, undefined));
  return found;
}

/** A JSON 6902 operation's `value` node, and the path it writes. */
export function jsonPatchOperations(doc: Document): { path: string; value: unknown }[] {
  if (!isSeq(doc.contents)) return [];
  return doc.contents.items.flatMap((op) => {
    if (!isMap(op)) return [];
    const verb = stringOf(op.get('op', true));
    const path = stringOf(op.get('path', true));
    return (verb === 'replace' || verb === 'add') && path ? [{ path, value: op.get('value', true) }] : [];
  });
}
