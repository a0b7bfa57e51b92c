import { useTickrStore } from '../../app/store';
import { JobList } from './components/JobList';
import { JobLog } from './components/JobLog';

/** Recent jobs and the log of the one selected (`#/jobs/<id>`); with no jobs, only the list's empty state. */
export function JobsView() {
  const hasJobs = useTickrStore((s) => s.jobs.length > 0);
  return (
    <>
      <section className="panel" aria-labelledby="recent-jobs-title">
        <div className="panel-head">
          <h3 id="recent-jobs-title">Recent jobs</h3>
          {hasJobs && (
            <p className="hint" aria-hidden="true">
              <kbd>j</kbd> <kbd>k</kbd> move the selection
            </p>
          )}
        </div>
        <JobList />
      </section>
      {hasJobs && (
        <section className="panel" aria-labelledby="job-log-title">
          <h3 id="job-log-title">Log</h3>
          <JobLog />
        </section>
      )}
    </>
  );
}
