import { builtObjects, buildKustomizationArgs, classifyBuildRun, objectSubject, runFlux, type DiffTarget, type JobFolder, type ObjectRef } from '../../adapters/flux';
import { logger } from '../../core/log';

/** One object the merge creates, with its content as flux builds it (Secret values and substituted secrets masked). */
export interface CreatedContent {
  /** flux's subject, `Kind/namespace/name` (or `Kind/name`): what `► … created` names. */
  object: string;
  yaml: string;
}

export interface CreatedContents {
  contents: CreatedContent[];
  /** Said with the report when some or all content could not be shown. */
  note?: string;
}

/** Lines of one object kept; the rest is said, not shown. */
export const MAX_CONTENT_LINES = 150;
/** Characters of all contents stored with the job's outcome (a DynamoDB item is at most 400 KB, shared with the rest). */
export const MAX_CONTENTS_CHARS = 40_000;
/** Below this much time left there is no point starting flux again: the report goes out with names only. */
const MIN_BUILD_MS = 1_000;

function capLines(yaml: string): string {
  const lines = yaml.trimEnd().split('\n');
  if (lines.length <= MAX_CONTENT_LINES) return `${lines.join('\n')}\n`;
  return `${lines.slice(0, MAX_CONTENT_LINES).join('\n')}\n# … ${lines.length - MAX_CONTENT_LINES} more lines\n`;
}

/**
 * The content of the objects a diff reports as created: flux diff prints only their names, so the same
 * target is built once with `flux build kustomization` (same path, Kustomization file, ignore rules, local
 * sources and identity as the diff), and the created objects are picked from its output. Not `--dry-run`:
 * dry-run skips `substituteFrom`, so the content would show `${var}` where the controller puts a value;
 * those values are masked by `mask` like the diff's. Any failure leaves the names alone, with a note.
 */
export async function createdContents(
  run: { bin: string; folder: JobFolder; target: DiffTarget & { dryRun?: boolean }; timeoutMs: number; fluxTimeoutMs: number; maxOutputBytes: number },
  created: readonly ObjectRef[],
  mask: (text: string) => string,
): Promise<CreatedContents> {
  if (created.length === 0) return { contents: [] };
  if (run.timeoutMs < MIN_BUILD_MS) return { contents: [], note: 'no time was left to build the created objects: only their names are shown' };
  const build = await runFlux({ bin: run.bin, args: buildKustomizationArgs({ ...run.target, timeoutMs: run.fluxTimeoutMs }), env: run.folder.env, cwd: run.folder.work, timeoutMs: run.timeoutMs, maxOutputBytes: run.maxOutputBytes });
  const outcome = classifyBuildRun(build);
  if (outcome.kind !== 'built') {
    logger.warn('flux build of the created objects failed', { outcome: outcome.kind, exitCode: build.exitCode });
    return { contents: [], note: `flux build could not show the created objects (${mask(outcome.message)}): only their names are shown` };
  }
  const built = new Map(builtObjects(mask(build.stdout)).map((object) => [objectSubject(object), object]));
  const contents: CreatedContent[] = [];
  let chars = 0;
  const missing: string[] = [];
  for (const ref of created) {
    const subject = objectSubject(ref);
    const object = built.get(subject);
    if (!object) {
      missing.push(subject);
      continue;
    }
    const yaml = capLines(object.yaml);
    if (chars + yaml.length > MAX_CONTENTS_CHARS) {
      missing.push(subject);
      continue;
    }
    chars += yaml.length;
    contents.push({ object: subject, yaml });
  }
  if (missing.length === 0) return { contents };
  return { contents, note: `the content of ${missing.length} created object${missing.length === 1 ? ' is' : 's are'} not shown (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}): not in flux build's output, or past the size kept` };
}
