import { beforeAll, describe, expect, it } from 'vitest';
import type { Click, Store } from '../../lib/adapters/store';
import { freshStore } from '../helpers/store';

let sequence = 0;
const button = (overrides: Partial<Click> = {}): Click => ({ channel: 'C0FLUX', messageTs: `1700000000.${String(++sequence).padStart(6, '0')}`, actionId: 'flux-run:reconcile', value: 'v1', actionTs: '1700000100.000001', user: 'U0ADMIN', ...overrides });

describe('clicks', () => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore();
  });

  it('claims a click once, and a second click of the same button within 3 s is the same click', async () => {
    const first = button();

    const claims = [await store.claimClick(first), await store.claimClick({ ...first, actionTs: '1700000102.500000' })];

    expect(claims).toEqual([{ claimed: true }, { claimed: false, by: 'U0ADMIN' }]);
  });

  it('says who clicked first when two people click at once, in whatever order the queue delivers them', async () => {
    const first = button({ actionTs: '1700000200.000002' });
    const second = { ...first, user: 'U0BOB', actionTs: '1700000200.000001' };

    const claims = await Promise.all([store.claimClick(first), store.claimClick(second)]);

    expect(claims.filter((c) => c.claimed)).toHaveLength(1);
    expect(claims.find((c) => !c.claimed)).toMatchObject({ by: expect.stringMatching(/^U0(ADMIN|BOB)$/) });
  });

  it('claims the same button again once the window has passed, and another choice or message at once', async () => {
    const first = button();
    await store.claimClick(first);

    const later = await store.claimClick({ ...first, actionTs: '1700000103.100000' });
    const otherChoice = await store.claimClick({ ...first, value: 'v2' });
    const otherMessage = await store.claimClick({ ...first, messageTs: '1700000999.000001' });

    expect([later, otherChoice, otherMessage]).toEqual([{ claimed: true }, { claimed: true }, { claimed: true }]);
  });

  it('claims a redelivered click again: it is the same click, not a second one', async () => {
    const first = button();
    await store.claimClick(first);

    expect(await store.claimClick(first)).toEqual({ claimed: true });
  });
});
