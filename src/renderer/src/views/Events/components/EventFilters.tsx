import { useTickrStore } from '../../../app/store';
import { KIND_FAMILIES, type EventFilter } from '../timeline';

/** Level, kind family and node: each change re-reads the first page on the server (events.list). */
export function EventFilters() {
  const filter = useTickrStore((s) => s.eventFilter);
  const setEventFilter = useTickrStore((s) => s.setEventFilter);
  const nodes = useTickrStore((s) => s.nodes);
  return (
    <div className="event-filters" role="search" aria-label="Filter events">
      <label>
        Level
        <select
          value={filter.level}
          onChange={(e) => setEventFilter({ level: e.target.value as EventFilter['level'] })}
        >
          <option value="">all levels</option>
          <option value="warn">warnings and errors</option>
          <option value="error">errors only</option>
        </select>
      </label>
      <label>
        Kind
        <select value={filter.kind} onChange={(e) => setEventFilter({ kind: e.target.value })}>
          <option value="">all kinds</option>
          {KIND_FAMILIES.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Node
        <select value={filter.nodeId} onChange={(e) => setEventFilter({ nodeId: e.target.value })}>
          <option value="">all nodes</option>
          {(nodes ?? []).map((n) => (
            <option key={n.id} value={n.id}>
              {n.name} ({n.id.slice(0, 8)})
            </option>
          ))}
          {filter.nodeId !== '' && !(nodes ?? []).some((n) => n.id === filter.nodeId) && (
            <option value={filter.nodeId}>{filter.nodeId}</option>
          )}
        </select>
      </label>
    </div>
  );
}
