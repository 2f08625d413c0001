import { describe, expect, it } from 'vitest';
import { fluxErrorMessage, fluxWarnings, MAX_MESSAGE_CHARS } from '../../lib/adapters/flux';

describe('fluxErrorMessage', () => {
  it.each([
    ['keeps only the ✗ lines when flux printed some', '► building\n► dry-run\n✗ first error\nnoise\n✗ second error\n', '✗ first error\n✗ second error'],
    ['falls back to cobra’s Error: lines', 'Error: unknown flag: --foo\nUsage:\n  flux diff kustomization [flags]\n', 'Error: unknown flag: --foo'],
    ['otherwise keeps the last five non-empty lines', 'a\nb\n\nc\nd\ne\nf\ng\n\n', 'c\nd\ne\nf\ng'],
    ['strips colour codes and CR', '\u001b[31m✗ boom\u001b[0m\r\n', '✗ boom'],
    ['drops the changes marker, which is not an error', '⚠️ identified at least one change, exiting with non-zero exit code\n', ''],
    ['is empty for an empty stderr', '', ''],
  ])('%s', (_, stderr, expected) => {
    // Act
    const message = fluxErrorMessage(stderr);

    // Assess
    expect(message).toBe(expected);
  });

  it('caps a long message, marking the cut', () => {
    // Prepare
    const stderr = `✗ ${'x'.repeat(5_000)}\n`;

    // Act
    const message = fluxErrorMessage(stderr);

    // Assess
    expect(message).toHaveLength(MAX_MESSAGE_CHARS);
    expect(message.endsWith('…')).toBe(true);
  });
});

describe('fluxWarnings', () => {
  it('keeps flux’s ⚠️ lines except the changes marker', () => {
    const stderr = '► building Kustomization/flux-system/apps\n⚠️ Kustomization/flux-system/infra skipped: source GitRepository/flux-system/other is not local\n⚠️ identified at least one change, exiting with non-zero exit code\n';
    expect(fluxWarnings(stderr)).toEqual(['Kustomization/flux-system/infra skipped: source GitRepository/flux-system/other is not local']);
  });
});
