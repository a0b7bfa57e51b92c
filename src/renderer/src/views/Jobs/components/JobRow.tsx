import { routeHash } from '../../../app/routing/routes';
import { useTickrStore } from '../../../app/store';

function time(iso: string | null): string {
  return iso === null ? '—' : new Date(iso).toLocaleTimeString();
}

/** The row's element id, so that j and k can scroll the selected row into view. */
export function jobRowId(id: string): string {
  return `job-row-${id}`;
}

/**
 * One job of the table. Clicking it goes to `#/jobs/<id>`, which selects the job and loads its log
 * (routing/router.ts); its id is a link to the same place, for a new tab or a screen reader's link list.
 */
export function JobRow({ id }: { id: string }) {
  const job = useTickrStore((s) => s.jobs.find((j) => j.id === id));
  const selected = useTickrStore((s) => s.selectedJobId === id);
  const navigate = useTickrStore((s) => s.navigate);

  // The table renders a row only for an id in the list; find() cannot know that.
  if (job === undefined) return null;
  return (
    <tr
      id={jobRowId(job.id)}
      data-testid="job-row"
      data-job-id={job.id}
      data-status={job.status}
      className={selected ? 'selected' : undefined}
      aria-current={selected ? 'true' : undefined}
      onClick={() => navigate({ view: 'jobs', id: job.id })}
    >
      <td>
        {/* Out of the tab order: the list itself takes focus, and j / k move through it. */}
        <a href={routeHash({ view: 'jobs', id: job.id })} tabIndex={-1}>
          {job.id}
        </a>
      </td>
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
