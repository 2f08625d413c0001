/** The sample story the events tell (acme/fleet#42 opened, pushed, merged, deployed): its clock and commits. */
export type Json = Record<string, unknown>;

/** 2026-01-15 09:30:00 UTC: the sample story starts here, one minute per event. */
const START = Date.UTC(2026, 0, 15, 9, 30, 0);
export const at = (minute: number) => new Date(START + minute * 60_000);
export const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const SHA = {
  base: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
  opened: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
  pushed: '7c1d2f3a9b8e4d5c6a7b8c9d0e1f2a3b4c5d6e7f',
  merge: 'c4295bd74fb0f4fda03689c3df3f2803b658fd85',
  fork: '2b9e8f7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f',
};
