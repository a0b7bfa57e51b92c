import type { PartContext } from '../context';
import type { UnreadableRow } from '../store/paging';

export type UnreadableContext = PartContext<'recordEvent' | 'log'>;

/**
 * Records rows that could not be read (a zero date written by an older version, a hand edit) as
 * one system event naming them, so a person can repair them, while the list, the rebuild or the
 * sweep that met them goes on without them. Each row is reported once per node run and place, not at every
 * read of a list that holds it.
 */
const reported = new WeakMap<UnreadableContext, Set<string>>();

export async function reportUnreadableRows(
  ctx: UnreadableContext,
  rows: readonly UnreadableRow[],
  what: string,
): Promise<void> {
  const seen = reported.get(ctx) ?? new Set<string>();
  reported.set(ctx, seen);
  const key = (r: UnreadableRow): string => `${what}\n${r.table}:${r.id}`;
  const fresh = rows.filter((r) => !seen.has(key(r)));
  if (fresh.length === 0) return;
  for (const r of fresh) seen.add(key(r));
  const names = fresh.map((r) => `${r.table} ${r.id}`).join(', ');
  const message = `unreadable row(s) ${what}: ${names} (${fresh[0]!.error})`;
  ctx.log.warn(message);
  await ctx.recordEvent({ level: 'error', kind: 'store.unreadable', message, data: { rows: fresh.slice(0, 100) } });
}

export function reportUnreadableJobs(ctx: UnreadableContext, ids: readonly string[], what: string): Promise<void> {
  const rows = ids.map((id) => ({ table: 'jobs', id, error: 'its due time is not a valid date' }));
  return reportUnreadableRows(ctx, rows, what);
}
