import { isMap, isPair, isScalar, isSeq, parseAllDocuments, visit, type Document, type Scalar } from 'yaml';
import { imageRepositoryOf, imageTagOf } from '../versions';

/** Where an app's version is written in a manifest. */
export type TargetKind = 'helm-release' | 'kustomize-image' | 'container-image';

/** One scalar that holds the app's version, located in the file's original text. */
export interface VersionTarget {
  kind: TargetKind;
  /** The version written there now. */
  current: string;
  /** [start, end) of the scalar's source in the file, quotes included. */
  range: [number, number];
  style: Scalar.Type | undefined;
  /** For a container image, the reference whose tag is the version (`ghcr.io/org/app:1.2.3`). */
  image?: string;
  /** Why it cannot be edited, when it cannot (a block scalar, a missing field). */
  problem?: string;
}

const stringAt = (node: unknown) => (isScalar(node) && typeof node.value === 'string' ? node.value : undefined);
const matchesApp = (reference: string | undefined, app: string) => reference !== undefined && (reference === app || reference.endsWith(`/${app}`));

function scalarTarget(kind: TargetKind, node: unknown, extra: Partial<VersionTarget> = {}): VersionTarget | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  const style = node.type;
  const problem = style === 'BLOCK_LITERAL' || style === 'BLOCK_FOLDED' ? 'the value is a block scalar' : node.tag ? `the value carries the tag ${node.tag}` : undefined;
  return { kind, current: String(node.value), range: [node.range[0], node.range[1]], style, ...extra, ...(problem ? { problem } : {}) };
}

/** A HelmRelease named `app`: its `spec.chart.spec.version` (helm.toolkit.fluxcd.io/v2). */
function helmReleaseTargets(doc: Document, app: string): VersionTarget[] {
  if (!isMap(doc.contents) || stringAt(doc.get('kind', true)) !== 'HelmRelease' || stringAt(doc.getIn(['metadata', 'name'], true)) !== app) return [];
  const version = doc.getIn(['spec', 'chart', 'spec', 'version'], true);
  const target = scalarTarget('helm-release', version);
  if (target) return [target];
  const why = doc.hasIn(['spec', 'chartRef']) ? 'it uses `spec.chartRef`, whose version lives in the referenced source' : 'it has no `spec.chart.spec.version` (it floats to the latest chart)';
  return [{ kind: 'helm-release', current: '', range: [0, 0], style: undefined, problem: `the HelmRelease \`${app}\` cannot be pinned: ${why}` }];
}

/** A kustomization.yaml `images:` entry whose `name` (or `newName`) ends with `/<app>`: its `newTag`. */
function kustomizeImageTargets(doc: Document, app: string): VersionTarget[] {
  const images = isMap(doc.contents) ? doc.get('images', true) : undefined;
  if (!isSeq(images)) return [];
  return images.items.flatMap((entry) => {
    if (!isMap(entry) || !(matchesApp(stringAt(entry.get('name', true)), app) || matchesApp(stringAt(entry.get('newName', true)), app))) return [];
    const target = scalarTarget('kustomize-image', entry.get('newTag', true));
    return [target ?? { kind: 'kustomize-image' as const, current: '', range: [0, 0] as [number, number], style: undefined, problem: 'its `images:` entry has no `newTag` to change' }];
  });
}

/** Every `image:` scalar whose repository ends with `/<app>` (containers of Deployments and the like). */
function containerImageTargets(doc: Document, app: string): VersionTarget[] {
  const found: VersionTarget[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (!isPair(pair) || stringAt(pair.key) !== 'image') return;
      const image = stringAt(pair.value);
      if (!image || !matchesApp(imageRepositoryOf(image), app)) return;
      const target = scalarTarget('container-image', pair.value, { image, current: imageTagOf(image) ?? '' });
      if (target) found.push({ ...target, current: imageTagOf(image) ?? '' });
    },
  });
  return found;
}

/**
 * Where `app`'s version is written in one YAML file (several documents allowed), by precedence: a
 * HelmRelease named `app`, else a kustomization `images:` entry, else container `image:` references.
 * A file that does not parse cleanly is never edited: undefined.
 */
export function findVersionTargets(text: string, app: string): VersionTarget[] | undefined {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.some((doc) => doc.errors.length > 0)) return undefined;
  for (const find of [helmReleaseTargets, kustomizeImageTargets, containerImageTargets]) {
    const targets = docs.flatMap((doc) => find(doc, app));
    if (targets.length > 0) return targets;
  }
  return [];
}
