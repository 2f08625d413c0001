/**
 * The exit-code contract of `flux diff kustomization` (flux2 v2.9, cmd/flux/main.go and
 * cmd/flux/diff_kustomization.go):
 *
 * | exit | meaning |
 * | --- | --- |
 * | 0 | no differences |
 * | 1 | differences, and stderr carries CHANGES_MARKER (a `RequestError{StatusCode: 1}`, printed with `⚠️`) |
 * | 1 | any other error: unknown flag, missing name, invalid namespace (cobra errors, printed with `✗`) |
 * | 2 | build, kubeconfig, cluster or dry-run error (`RequestError{StatusCode: 2}`, printed with `✗`) |
 *
 * Exit 1 alone therefore does NOT mean "changes": Botkube's plugin makes that mistake (DESIGN §5).
 */
export const CHANGES_MARKER = 'identified at least one change, exiting with non-zero exit code';

export const EXIT_NO_CHANGES = 0;
export const EXIT_CHANGES_OR_USAGE = 1;
export const EXIT_BUILD_ERROR = 2;

/** flux's stderr logger prefixes (cmd/flux/log.go). */
export const FAILURE_PREFIX = '✗';

/** A line that is only the marker, after flux's `⚠️ ` (or, in older releases, `✗ `) prefix. */
const MARKER_LINE = new RegExp(`^[^\\p{L}\\p{N}]*${CHANGES_MARKER}\\s*$`, 'u');

export function isChangesMarkerLine(line: string): boolean {
  return MARKER_LINE.test(line.trim());
}
