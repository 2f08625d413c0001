import { describe, expect, it } from 'vitest';
import { useWorld } from '../helpers/world';

const textOf = (response: { body?: string }) => (JSON.parse(response.body ?? '{}') as { text?: string }).text ?? '';

describe('/flux help and unknown commands', () => {
  const world = useWorld();

  it('lists every available command with its grammar and an example', async () => {
    // Act
    const help = textOf(await world().command('help'));

    // Assess
    expect(help).toContain('*`/flux diff ks NAME --github-ref <PR number|PR URL|branch> [--cluster C] [-n NS]`*');
    expect(help).toContain('*`/flux history APP [on ENV]`*');
    expect(help).toContain('e.g. `/flux history podinfo on prod`');
    expect(help).toContain('*`/flux help [COMMAND]`*');
  });

  it('narrows the help to one command', async () => {
    const help = textOf(await world().command('help history'));
    expect(help).toContain('/flux history APP [on ENV]');
    expect(help).not.toContain('/flux diff ks');
  });

  it.each([
    ['promote', '*`/flux promote APP@VERSION to ENV`*', '/flux rollback'],
    ['reconcile', 'e.g. `/flux reconcile ks apps --with-source`', '/flux promote'],
  ])('gives `/flux help %s` that built-in’s own help from the registry of built-ins', async (topic, own, other) => {
    // Act
    const help = textOf(await world().command(`help ${topic}`));

    // Assess: its own forms, not the whole grammar, and how to get this help again
    expect(help).toContain(own);
    expect(help).not.toContain(other);
    expect(help).toContain('*`/flux help [COMMAND]`*');
  });

  it('answers an unknown command with the closest one and the whole help', async () => {
    // Act
    const reply = textOf(await world().command('histroy podinfo'));

    // Assess
    expect(reply).toMatch(/^`\/flux histroy` is not a Fluxline command\. Did you mean `\/flux history`\?/);
    expect(reply).toContain('*`/flux history APP [on ENV]`*');
    expect(reply).toContain('*`/flux diff ks NAME');
  });

  it('answers a usage error of history with its usage', async () => {
    expect(textOf(await world().command('history podinfo in prod'))).toBe('Usage: `/flux history APP [on ENV]`');
  });
});
