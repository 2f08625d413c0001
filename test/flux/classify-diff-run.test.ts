import { describe, expect, it } from 'vitest';
import { classifyDiffRun, type DiffOutcome, type FluxRun } from '../../lib/adapters/flux';

const MARKER = '⚠️ identified at least one change, exiting with non-zero exit code';
const REPORT = '► Service/default/podinfo drifted\n\nspec.ports.http.port\n± value change\n- 9899\n+ 9898\n\n';

function run(fields: Partial<FluxRun>): FluxRun {
  return { exitCode: 0, signal: null, stdout: '', stderr: '', timedOut: false, truncated: false, durationMs: 42, ...fields };
}

describe('classifyDiffRun: the exit-code contract of flux diff kustomization', () => {
  it.each<[string, Partial<FluxRun>, DiffOutcome]>([
    ['exit 0 is no changes', { exitCode: 0, stderr: '► building\n' }, { kind: 'no-changes' }],
    ['exit 1 with the marker is changes, the report being stdout', { exitCode: 1, stdout: REPORT, stderr: `${MARKER}\n` }, { kind: 'changes', report: REPORT }],
    ['exit 1 with the marker as older flux printed it (✗) is changes', { exitCode: 1, stdout: REPORT, stderr: '✗ identified at least one change, exiting with non-zero exit code\n' }, { kind: 'changes', report: REPORT }],
    ['exit 1 with the marker in colour and CRLF is changes', { exitCode: 1, stdout: REPORT, stderr: `\u001b[33m${MARKER}\u001b[0m\r\n` }, { kind: 'changes', report: REPORT }],
    ['exit 1 with the marker but an empty stdout is still changes, with an empty report', { exitCode: 1, stdout: '', stderr: `${MARKER}\n` }, { kind: 'changes', report: '' }],
    ['exit 1 without the marker is a usage error (an unknown flag), not changes', { exitCode: 1, stderr: '✗ unknown flag: --foo\n' }, { kind: 'usage-error', message: '✗ unknown flag: --foo' }],
    ['exit 1 without the marker is a usage error even when stdout looks like a diff', { exitCode: 1, stdout: REPORT, stderr: '✗ Kustomization name is required\n' }, { kind: 'usage-error', message: '✗ Kustomization name is required' }],
    ['exit 1 with cobra’s `Error:` and usage text gives the Error line', { exitCode: 1, stderr: 'Error: unknown flag: --foo\nUsage:\n  flux diff kustomization [flags]\n\nFlags:\n  -h, --help   help\n' }, { kind: 'usage-error', message: 'Error: unknown flag: --foo' }],
    ['exit 1 whose error merely quotes the marker text is a usage error', { exitCode: 1, stderr: '✗ unknown flag: --identified at least one change, exiting with non-zero exit code\n' }, { kind: 'usage-error', message: '✗ unknown flag: --identified at least one change, exiting with non-zero exit code' }],
    ['exit 1 with nothing on stderr is a usage error that says so', { exitCode: 1 }, { kind: 'usage-error', message: 'flux exited with code 1 without saying why' }],
    ['exit 2 is a build error with flux’s ✗ line', { exitCode: 2, stderr: '► building\n✗ ConfigMap/new-ns/app-config not found: namespaces "new-ns" not found\n' }, { kind: 'build-error', message: '✗ ConfigMap/new-ns/app-config not found: namespaces "new-ns" not found' }],
    ['exit 2 with partial stdout is still a build error', { exitCode: 2, stdout: '► Namespace/apps created\n', stderr: '✗ failed to get kustomization object: Unauthorized\n' }, { kind: 'build-error', message: '✗ failed to get kustomization object: Unauthorized' }],
    ['a run we timed out is a timeout, whatever signal ended it', { exitCode: null, signal: 'SIGTERM', timedOut: true }, { kind: 'timeout' }],
    ['a run we had to SIGKILL after the timeout is a timeout', { exitCode: null, signal: 'SIGKILL', timedOut: true, stderr: '► still going\n' }, { kind: 'timeout' }],
    ['a signal we did not send is a crash', { exitCode: null, signal: 'SIGSEGV', stderr: '► building\n' }, { kind: 'crashed', message: 'flux was killed by signal SIGSEGV: ► building' }],
    ['a binary that could not start is a crash', { exitCode: null, spawnError: 'ENOENT: spawn /opt/bin/flux ENOENT' }, { kind: 'crashed', message: 'flux could not be started: ENOENT: spawn /opt/bin/flux ENOENT' }],
    ['any other exit code is a crash', { exitCode: 3, stderr: 'panic: runtime error: invalid memory address\n' }, { kind: 'crashed', message: 'flux exited with unexpected code 3: panic: runtime error: invalid memory address' }],
    ['exit 127 (the shebang interpreter is missing) is a crash', { exitCode: 127, stderr: '/usr/bin/env: ‘node’: No such file or directory\n' }, { kind: 'crashed', message: 'flux exited with unexpected code 127: /usr/bin/env: ‘node’: No such file or directory' }],
  ])('%s', (_, fields, expected) => {
    // Prepare
    const flux = run(fields);

    // Act
    const outcome = classifyDiffRun(flux);

    // Assess
    expect(outcome).toEqual(expected);
  });
});
