import { useTickrStore } from '../../app/store';
import { JobList } from './components/JobList';

/** The job history; a row opens that job's page (`#/jobs/<id>`). */
export function JobsView() {
  const hasJobs = useTickrStore((s) => s.jobs.length > 0);
  return (
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
  );
}
