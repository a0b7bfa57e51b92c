import { JobList } from './components/JobList';
import { JobLog } from './components/JobLog';

/** Recent jobs and the log of the one clicked. */
export function JobsView() {
  return (
    <>
      <section className="panel">
        <h2>Recent jobs</h2>
        <JobList />
      </section>
      <section className="panel">
        <h2>Log</h2>
        <JobLog />
      </section>
    </>
  );
}
