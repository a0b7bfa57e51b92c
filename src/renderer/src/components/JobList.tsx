import { selectJob, useTickrStore } from '../store';

function time(iso: string | null): string {
  return iso === null ? '—' : new Date(iso).toLocaleTimeString();
}

export function JobList() {
  const jobs = useTickrStore((s) => s.jobs);
  const selectedJobId = useTickrStore((s) => s.selectedJobId);
  const error = useTickrStore((s) => s.jobsError);

  if (error !== null) return <p className="error">{error}</p>;
  if (jobs.length === 0) return <p className="empty">No jobs yet.</p>;
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
        {jobs.map((job) => (
          <tr
            key={job.id}
            data-testid="job-row"
            data-job-id={job.id}
            data-status={job.status}
            className={job.id === selectedJobId ? 'selected' : undefined}
            onClick={() => void selectJob(job.id)}
          >
            <td>{job.id}</td>
            <td>{job.taskId}</td>
            <td>
              <span className={`job-status job-status-${job.status}`}>{job.status}</span>
            </td>
            <td>
              {job.attempt}/{job.maxAttempts}
            </td>
            <td>{time(job.dueAt)}</td>
            <td>{time(job.finishedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
