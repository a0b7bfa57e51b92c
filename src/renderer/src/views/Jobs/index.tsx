import { useEffect } from 'react';
import type { JobFilter } from '../../../../shared/schemas';
import { filterToParams, isEmptyFilter, sameFilter } from '../../app/routing/job-filter-params';
import { useTickrStore } from '../../app/store';
import { BulkBar } from './components/BulkBar';
import { BulkDialog } from './components/BulkDialog';
import { EmptyHistory } from './components/EmptyHistory';
import { JobFilters, setJobsFilter } from './components/JobFilters';
import { JobList } from './components/JobList';
import './jobs.css';

const NO_FILTER: JobFilter = {};

/** "1,000 jobs loaded · more on the server" or "All 12 matching jobs loaded". */
function LoadedCount() {
  const count = useTickrStore((s) => s.jobs.length);
  const hasMore = useTickrStore((s) => s.jobsNextCursor !== null);
  const loadingMore = useTickrStore((s) => s.jobsLoadingMore);
  const loaded = useTickrStore((s) => s.jobsLoaded);
  if (!loaded) return null;
  const text = hasMore
    ? `${count.toLocaleString()} loaded · more on the server${loadingMore ? ' (loading…)' : ', scroll for them'}`
    : `${count === 1 ? 'The one' : `All ${count.toLocaleString()}`} matching ${count === 1 ? 'job' : 'jobs'} loaded`;
  return (
    <p className="hint jobs-count" data-testid="jobs-count" data-count={count} data-more={hasMore}>
      {text}
    </p>
  );
}

/**
 * The job history at `#/jobs?<filter>`: the filters (in the URL), the bulk actions on everything
 * they match, and the list, read from the server page by page as it scrolls. A row opens its job
 * (`#/jobs/<id>`).
 */
export function JobsView() {
  const filter = useTickrStore((s) => s.route.filter) ?? NO_FILTER;
  const filterKey = filterToParams(filter);
  const hasJobs = useTickrStore((s) => s.jobs.length > 0);
  const loaded = useTickrStore((s) => s.jobsLoaded);
  const error = useTickrStore((s) => s.jobsError);
  const dialogOpen = useTickrStore((s) => s.bulkRequest !== null);

  // The URL's filter decides the rows: read them when it differs from the one they were read with
  // (not when coming back to the view: events kept them current meanwhile).
  useEffect(() => {
    const { jobsFilter, jobsRequested, loadJobs } = useTickrStore.getState();
    const wanted = useTickrStore.getState().route.filter ?? NO_FILTER;
    if (!jobsRequested || !sameFilter(jobsFilter, wanted)) void loadJobs(wanted);
  }, [filterKey]);

  // Names for the task and node filters and columns, and a bulk operation already running.
  useEffect(() => {
    const { tasksLoaded, loadTasks, loadJobNodes, loadBulkOps } = useTickrStore.getState();
    if (!tasksLoaded) void loadTasks();
    void loadJobNodes();
    void loadBulkOps();
  }, []);

  return (
    <section className="panel jobs-view" aria-labelledby="job-history-title">
      <div className="panel-head">
        <h3 id="job-history-title">History</h3>
        <LoadedCount />
        {hasJobs && (
          <p className="hint" aria-hidden="true">
            <kbd>j</kbd> <kbd>k</kbd> move · <kbd>Enter</kbd> opens
          </p>
        )}
      </div>
      <JobFilters filter={filter} />
      <div className="jobs-toolbar">
        {!isEmptyFilter(filter) && (
          <button type="button" className="secondary" onClick={() => setJobsFilter({})}>
            Clear filters
          </button>
        )}
        <BulkBar filter={filter} />
      </div>
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {hasJobs ? (
        <JobList />
      ) : loaded ? (
        <EmptyHistory filtered={!isEmptyFilter(filter)} />
      ) : (
        error === null && <p className="hint">Loading jobs…</p>
      )}
      {dialogOpen && <BulkDialog />}
    </section>
  );
}
