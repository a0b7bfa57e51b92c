import { useShallow } from 'zustand/react/shallow';
import { useTickrStore } from '../../../app/store';
import { JobRow } from './JobRow';

/**
 * The table of recent jobs. It reads only the ids, so a job.updated event re-renders the one row
 * whose job changed, not the whole table.
 */
export function JobList() {
  const jobIds = useTickrStore(useShallow((s) => s.jobs.map((job) => job.id)));
  const error = useTickrStore((s) => s.jobsError);

  if (error !== null) return <p className="error">{error}</p>;
  if (jobIds.length === 0) return <p className="empty">No jobs yet.</p>;
  return (
    <table className="jobs">
      <thead>
        <tr>
          <th>Job</th>
          <th>Task</th>
          <th>Status</th>
          <th>Attempt</th>
          <th>Due</th>
          <th>Finished</th>
        </tr>
      </thead>
      <tbody>
        {jobIds.map((id) => (
          <JobRow key={id} id={id} />
        ))}
      </tbody>
    </table>
  );
}
