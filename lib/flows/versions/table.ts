/** `2026-11-20 10:00Z`: minutes are enough to tell deployments apart in chat. */
export function shortTime(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')}Z`;
}
