import { useTickrStore } from '../../../app/store';
import type { TaskFilters as Filters } from '../task-list-model';

/** Search by name and command; filter by type, enabled and last result. */
export function TaskFilters() {
  const filters = useTickrStore((s) => s.taskFilters);
  const setTaskFilters = useTickrStore((s) => s.setTaskFilters);
  return (
    <div className="task-filters" role="search" aria-label="Filter tasks">
      <input
        type="search"
        aria-label="Search tasks by name or command"
        placeholder="Search name or command  ( / )"
        value={filters.search}
        onChange={(e) => setTaskFilters({ search: e.target.value })}
      />
      <label>
        Type
        <select value={filters.type} onChange={(e) => setTaskFilters({ type: e.target.value as Filters['type'] })}>
          <option value="all">all</option>
          <option value="shell">shell</option>
          <option value="http">http</option>
        </select>
      </label>
      <label>
        State
        <select
          value={filters.enabled}
          onChange={(e) => setTaskFilters({ enabled: e.target.value as Filters['enabled'] })}
        >
          <option value="all">all</option>
          <option value="enabled">enabled</option>
          <option value="paused">paused</option>
        </select>
      </label>
      <label>
        Last result
        <select
          value={filters.lastResult}
          onChange={(e) => setTaskFilters({ lastResult: e.target.value as Filters['lastResult'] })}
        >
          <option value="all">all</option>
          <option value="succeeded">succeeded</option>
          <option value="failed">failed</option>
          <option value="cancelled">cancelled</option>
          <option value="skipped">skipped</option>
          <option value="never">not run yet</option>
        </select>
      </label>
    </div>
  );
}
