import { isMap, isPair, isScalar, isSeq, parseAllDocuments, visit, type Document, type Scalar } from 'yaml';
import { imageRepositoryOf, imageTagOf } from '../versions';
import { inlinePatches, jsonPatchOperations, type InlinePatch } from './patch-targets';

/**
 * Where an app's version is written in a manifest:
 * - `helm-release`: a HelmRelease's `spec.chart.spec.version` (a chart version);
 * - `helm-values-tag`: a HelmRelease's `spec.values.image.tag` (the app's image tag);
 * - `oci-chart-tag`: the `spec.ref.tag` of the OCIRepository a HelmRelease's `spec.chartRef` names (a chart version);
 * - `kustomize-image`: a kustomization.yaml `images:` entry's `newTag`;
 * - `container-image`: the tag of a container's `image:`.
 */
export type TargetKind = 'helm-release' | 'helm-values-tag' | 'oci-chart-tag' | 'kustomize-image' | 'container-image';

/** What the value means: a Helm chart's version, or an image tag (the app's own version). */
export type Reading = 'chart' | 'image';

export const READING_OF: Record<TargetKind, Reading> = {
  'helm-release': 'chart',
  'oci-chart-tag': 'chart',
  'helm-values-tag': 'image',
  'kustomize-image': 'image',
  'container-image': 'image',
};

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
  /** Why it cannot be edited, when it cannot (a substitution, a range, a block scalar, a missing field). */
  problem?: string;
  /** Set inside a patch (a Flux Kustomization's `spec.patches`, a kustomization.yaml `patches:`): it wins over what it patches. */
  viaPatch?: boolean;
  /** A HelmRelease whose chart comes from `spec.chartRef`: the version lives in that source. */
  chartRef?: { kind: string; name: string };
}

export const stringAt = (node: unknown) => (isScalar(node) && typeof node.value === 'string' ? node.value : undefined);
const matchesApp = (reference: string | undefined, app: string) => reference !== undefined && (reference === app || reference.endsWith(`/${app}`));

/** `${podinfo_version}` (Flux post-build substitution, also `${var:=default}`): the value is not here. */
export const SUBSTITUTION = /\$\{\s*([A-Za-z_][A-Za-z0-9_]*)/;
/** An exact version: anything else in a chart version (`>=6.0.0 <7.0.0`, `6.x`, `~6.5`, `*`) is a semver range. */
const EXACT_VERSION = /^v?\d+(\.\d+){0,2}(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

function problemOf(node: Scalar, reading: Reading): string | undefined {
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') return 'the value is a block scalar';
  if (node.tag) return `the value carries the tag ${node.tag}`;
  const value = String(node.value);
  const variable = SUBSTITUTION.exec(value);
  if (variable) return `the value is the substitution variable \`\${${variable[1] ?? ''}}\`: the version lives where Flux substitutes it`;
  if (reading === 'chart' && !EXACT_VERSION.test(value.trim())) {
    return `\`${value}\` is a semver range: helm-controller installs the newest chart in it, so there is no single version to replace; pin an exact version by hand first, or narrow the range`;
  }
  return undefined;
}

export function scalarTarget(kind: TargetKind, node: unknown, extra: Partial<VersionTarget> = {}): VersionTarget | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  const problem = problemOf(node, READING_OF[kind]);
  return { kind, current: String(node.value), range: [node.range[0], node.range[1]], style: node.type, ...extra, ...(problem ? { problem } : {}) };
}

/** A HelmRelease named `app`: its `spec.chart.spec.version`, its `spec.values.image.tag`, or where `spec.chartRef` points. */
function helmReleaseTargets(doc: Document, app: string): VersionTarget[] {
  if (!isMap(doc.contents) || stringAt(doc.get('kind', true)) !== 'HelmRelease' || stringAt(doc.getIn(['metadata', 'name'], true)) !== app) return [];
  const found: VersionTarget[] = [];
  const chart = scalarTarget('helm-release', doc.getIn(['spec', 'chart', 'spec', 'version'], true));
  if (chart) found.push(chart);
  const tag = scalarTarget('helm-values-tag', doc.getIn(['spec', 'values', 'image', 'tag'], true));
  if (tag) found.push(tag);
  const refKind = stringAt(doc.getIn(['spec', 'chartRef', 'kind'], true));
  const refName = stringAt(doc.getIn(['spec', 'chartRef', 'name'], true));
  if (!chart && refKind && refName) {
    found.push({ kind: 'oci-chart-tag', current: '', range: [0, 0], style: undefined, chartRef: { kind: refKind, name: refName }, ...(refKind === 'OCIRepository' ? {} : { problem: `the HelmRelease \`${app}\` takes its chart from the ${refKind} \`${refName}\` (\`spec.chartRef\`), whose version Fluxline cannot change` }) });
  } else if (!chart && !doc.hasIn(['spec', 'chart', 'spec']) && found.length === 0) {
    // A patch that sets only other fields says nothing about the version.
    return [];
  } else if (!chart && found.length === 0) {
    found.push({ kind: 'helm-release', current: '', range: [0, 0], style: undefined, problem: `the HelmRelease \`${app}\` cannot be pinned: it has no \`spec.chart.spec.version\` (it floats to the latest chart)` });
  }
  return found;
}

/** An OCIRepository named `name` (a HelmRelease's chartRef): its `spec.ref.tag`. */
export function ociTagTargets(text: string, name: string): VersionTarget[] {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.some((doc) => doc.errors.length > 0)) return [];
  return docs.flatMap((doc) => {
    if (!isMap(doc.contents) || stringAt(doc.get('kind', true)) !== 'OCIRepository' || stringAt(doc.getIn(['metadata', 'name'], true)) !== name) return [];
    const tag = scalarTarget('oci-chart-tag', doc.getIn(['spec', 'ref', 'tag'], true));
    if (tag) return [tag];
    const semver = stringAt(doc.getIn(['spec', 'ref', 'semver'], true));
    const why = semver ? `its \`spec.ref.semver\` is the range \`${semver}\`: source-controller pulls the newest tag in it; pin \`spec.ref.tag\` by hand first` : 'it has no `spec.ref.tag`';
    return [{ kind: 'oci-chart-tag' as const, current: '', range: [0, 0] as [number, number], style: undefined, problem: `the OCIRepository \`${name}\` cannot be pinned: ${why}` }];
  });
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

const FINDERS = [helmReleaseTargets, kustomizeImageTargets, containerImageTargets];

/** JSON 6902 paths that hold a version, by the kind the patch targets. */
const JSON_PATCH_PATHS: { kind: string; path: RegExp; target: TargetKind }[] = [
  { kind: 'HelmRelease', path: /^\/spec\/chart\/spec\/version$/, target: 'helm-release' },
  { kind: 'HelmRelease', path: /^\/spec\/values\/image\/tag$/, target: 'helm-values-tag' },
  { kind: 'OCIRepository', path: /^\/spec\/ref\/tag$/, target: 'oci-chart-tag' },
  { kind: 'Deployment', path: /^\/spec\/template\/spec\/containers\/\d+\/image$/, target: 'container-image' },
];

/** The targets inside one inline patch, with their ranges moved from the patch's text to the file's. */
function targetsInPatch(patch: InlinePatch, app: string): VersionTarget[] {
  let inside: VersionTarget[] = [];
  for (const find of FINDERS) {
    inside = patch.docs.flatMap((doc) => find(doc, app));
    if (inside.length > 0) break;
  }
  if (inside.length === 0 && patch.target?.name === app) {
    inside = patch.docs.flatMap((doc) =>
      jsonPatchOperations(doc).flatMap(({ path, value }) => {
        const known = JSON_PATCH_PATHS.find((candidate) => candidate.path.test(path) && (!patch.target?.kind || patch.target.kind === candidate.kind));
        if (!known) return [];
        const image = known.target === 'container-image' ? stringAt(value) : undefined;
        const target = scalarTarget(known.target, value, image ? { image, current: imageTagOf(image) ?? '' } : {});
        return target ? [{ ...target, ...(image ? { current: imageTagOf(image) ?? '' } : {}) }] : [];
      }),
    );
  }
  return inside.map((target) => {
    if (target.problem || target.range[1] === 0) return { ...target, viaPatch: true };
    if (!patch.toFile) return { ...target, viaPatch: true, problem: 'it is inside a patch written as a folded or quoted string; write the patch as a literal block (`patch: |`) so it can be edited in place' };
    return { ...target, viaPatch: true, range: [patch.toFile(target.range[0]), patch.toFile(target.range[1])] as [number, number] };
  });
}

function patchTargets(text: string, doc: Document, app: string): VersionTarget[] {
  return inlinePatches(text, doc).flatMap((patch) => targetsInPatch(patch, app));
}

/**
 * Where `app`'s version is written in one YAML file (several documents allowed), by precedence: a
 * HelmRelease named `app` (its chart version and its `values.image.tag`), else a kustomization `images:`
 * entry, else container `image:` references; inside a patch (block scalar) too. A file that does not
 * parse cleanly is never edited: undefined.
 */
export function findVersionTargets(text: string, app: string): VersionTarget[] | undefined {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.some((doc) => doc.errors.length > 0)) return undefined;
  const patched = docs.flatMap((doc) => patchTargets(text, doc, app));
  if (patched.length > 0) return patched;
  for (const find of FINDERS) {
    const targets = docs.flatMap((doc) => find(doc, app));
    if (targets.length > 0) return targets;
  }
  return [];
}
