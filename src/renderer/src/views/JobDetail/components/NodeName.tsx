/** Node ids are UUIDs: their first group tells nodes apart on one screen, the whole is in the tooltip. */
const SHORT_ID = 8;

/** A node as the page names it: its name, then its id (shortened, the full one on hover). */
export function NodeName({ id, name }: { id: string; name: string | null | undefined }) {
  const shortId = id.length > SHORT_ID + 1 ? `${id.slice(0, SHORT_ID)}…` : id;
  if (!name || name === id) return <span title={id}>{shortId}</span>;
  return (
    <span title={id}>
      {name} <span className="muted">({shortId})</span>
    </span>
  );
}

export function nameOf(names: Record<string, string>, id: string): string | null {
  return Object.hasOwn(names, id) ? (names[id] ?? null) : null;
}
