import { useState } from 'react';
import { idSchema, JOB_STATUSES, type JobFilter, type JobStatus } from '../../../../../shared/schemas';
import { filterToParams, paramsToFilter } from '../../../app/routing/job-filter-params';
import { useTickrStore } from '../../../app/store';
import { fromLocalInput, toLocalInput } from '../format';

/**
 * Puts the filter in the URL (`#/jobs?…`); the view reads it from there and asks the server. It
 * goes through the URL's own rules, so the list shows exactly what a reload of the link would.
 */
export function setJobsFilter(filter: JobFilter): void {
  const clean = paramsToFilter(filterToParams(filter));
  // One history entry for the view, not one per keystroke in the id field.
  useTickrStore.getState().navigate({ view: 'jobs', id: null, filter: clean }, { replace: true });
}

/** What the id field accepts: empty, or an id as jobs.list takes it. */
function idError(value: string): string | null {
  if (value === '') return null;
  const parsed = idSchema.safeParse(value);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'must be a positive decimal id');
}

/**
 * The history's filters: task (by name), status, node, a range of due times, an exact job id.
 * Each change goes to the URL at once, so the filtered list can be reloaded and linked; the server
 * does the filtering (jobs.list), whatever the number of jobs.
 */
export function JobFilters({ filter }: { filter: JobFilter }) {
  const tasks = useTickrStore((s) => s.tasks);
  const nodes = useTickrStore((s) => s.jobNodes);
  // The id field keeps what is typed; the filter takes it only once it is a whole id.
  const [idText, setIdText] = useState(filter.id ?? '');
  const [shownId, setShownId] = useState(filter.id);
  if (shownId !== filter.id) {
    // The filter changed from elsewhere (clear, back, a link): the field follows.
    setShownId(filter.id);
    setIdText(filter.id ?? '');
  }
  const idProblem = idError(idText);
  const sortedTasks = [...tasks].sort((a, b) => a.name.localeCompare(b.name));
  const taskKnown = filter.taskId === undefined || tasks.some((t) => t.id === filter.taskId);
  const nodeKnown = filter.nodeId === undefined || nodes.some((n) => n.id === filter.nodeId);
  const update = (change: Partial<JobFilter>) => setJobsFilter({ ...filter, ...change });

  return (
    <form className="job-filters" role="search" aria-label="Filter jobs" onSubmit={(e) => e.preventDefault()}>
      <label>
        Task
        <select value={filter.taskId ?? ''} onChange={(e) => update({ taskId: e.target.value || undefined })}>
          <option value="">any task</option>
          {!taskKnown && <option value={filter.taskId}>task {filter.taskId}</option>}
          {sortedTasks.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Status
        <select
          value={filter.status ?? ''}
          onChange={(e) => update({ status: (e.target.value || undefined) as JobStatus | undefined })}
        >
          <option value="">any status</option>
          {JOB_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status}
            </option>
          ))}
        </select>
      </label>
      <label>
        Node
        <select value={filter.nodeId ?? ''} onChange={(e) => update({ nodeId: e.target.value || undefined })}>
          <option value="">any node</option>
          {!nodeKnown && <option value={filter.nodeId}>{filter.nodeId?.slice(0, 8)}</option>}
          {nodes.map((n) => (
            <option key={n.id} value={n.id}>
              {n.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Due from
        <input
          type="datetime-local"
          value={toLocalInput(filter.from)}
          max={toLocalInput(filter.to) || undefined}
          onChange={(e) => update({ from: fromLocalInput(e.target.value) })}
        />
      </label>
      <label>
        Due until
        <input
          type="datetime-local"
          value={toLocalInput(filter.to)}
          min={toLocalInput(filter.from) || undefined}
          onChange={(e) => update({ to: fromLocalInput(e.target.value) })}
        />
      </label>
      <label>
        Job id
        <input
          type="search"
          inputMode="numeric"
          placeholder="exact id  ( / )"
          value={idText}
          aria-invalid={idProblem !== null}
          aria-describedby={idProblem !== null ? 'job-id-problem' : undefined}
          onChange={(e) => {
            const text = e.target.value.trim();
            setIdText(text);
            if (idError(text) === null) update({ id: text || undefined });
          }}
        />
        {idProblem !== null && (
          <span id="job-id-problem" className="error job-filter-problem">
            id {idProblem}
          </span>
        )}
      </label>
    </form>
  );
}
