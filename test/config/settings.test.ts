import { describe, expect, it } from 'vitest';
import { settingsFrom } from '../../lib/core/config/env';

describe('settings from the environment', () => {
  it.each([
    ['unset', undefined, 8 * 1024 * 1024],
    ['a size in MB', '64', 64 * 1024 * 1024],
    ['0: every repository whose scope is known', '0', 0],
    ['off: always the tarball', 'off', undefined],
    ['OFF, in any case', ' OFF ', undefined],
    ['not a number: the default', 'lots', 8 * 1024 * 1024],
    ['negative: the default', '-1', 8 * 1024 * 1024],
  ])('reads FLUXLINE_SCOPED_CHECKOUT_MIN_MB %s', (_, raw, bytes) => {
    expect(settingsFrom(raw === undefined ? {} : { FLUXLINE_SCOPED_CHECKOUT_MIN_MB: raw }).scopedCheckoutMinBytes).toBe(bytes);
  });
});
