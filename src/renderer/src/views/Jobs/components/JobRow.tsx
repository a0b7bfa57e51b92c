import { useTickrStore } from '../../../app/store';

function time(iso: string | null): string {
  return iso === null ? '—' : new Date(iso).toLocaleTimeString();
}

/** One job of the table; clicking it selects the job and loads its log. */
export function JobRow({ id }: { id: string }) {
  const job = useTickrStore((s) => s.jobs.find((j) => j.id === id));
  const selected = useTickrStore((s) => s.selectedJobId === id);
  const selectJob = useTickrStore((s) => s.selectJob);

  // The table renders a row only for an id in the list; find() cannot know that.
  if (job === undefined) return null;
  return (
    <tr
      data-testid="job-row"
      data-job-id={job.id}
      data-status={job.status}
      className={selected ? 'selected' : undefined}
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
  );
}
