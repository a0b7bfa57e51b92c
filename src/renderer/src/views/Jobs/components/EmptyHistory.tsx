import { setJobsFilter } from './JobFilters';

/** What an empty history means: nothing ran yet, or the filters leave nothing; each says what to do. */
export function EmptyHistory({ filtered }: { filtered: boolean }) {
  if (filtered)
    return (
      <div className="empty" data-testid="jobs-empty" data-reason="filtered">
        <p>No job matches these filters.</p>
        <p>The filters are combined: each one narrows the list. Loosen one, or start again from every job.</p>
        <button type="button" className="secondary" onClick={() => setJobsFilter({})}>
          Clear filters
        </button>
      </div>
    );
  return (
    <div className="empty" data-testid="jobs-empty" data-reason="none">
      <p>No jobs yet.</p>
      <p>
        A job is one run of a task. Create a task on <a href="#/tasks">Tasks</a> and its jobs appear here as they run,
        with their logs.
      </p>
    </div>
  );
}
