import { useShallow } from 'zustand/react/shallow';
import { useTickrStore } from '../../../app/store';
import { JobRow } from './JobRow';

/**
 * The table of recent jobs. It reads only the ids, so a job.updated event re-renders the one row
 * whose job changed, not the whole table. The table is one tab stop; j / k (keyboard.ts) move the
 * selection while it has focus.
 */
export function JobList() {
  const jobIds = useTickrStore(useShallow((s) => s.jobs.map((job) => job.id)));
  const error = useTickrStore((s) => s.jobsError);

  if (error !== null) return <p className="error">{error}</p>;
  if (jobIds.length === 0)
    return (
      <div className="empty">
        <p>No jobs yet.</p>
        <p>
          A job is one run of a task. Create a task on <a href="#/tasks">Tasks</a> and its jobs appear here as they run,
          with their logs.
        </p>
      </div>
    );
  return (
    <div
      className="job-list"
      tabIndex={0}
      role="group"
      aria-label="Recent jobs"
      aria-keyshortcuts="J K ArrowDown ArrowUp"
      // The KEYBOARD_LIST mark (app/focus.ts) that keyboard.ts and the `/` key look for.
      data-keyboard-list="jobs"
    >
      <table className="jobs">
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Task</th>
            <th scope="col">Status</th>
            <th scope="col">Attempt</th>
            <th scope="col">Due</th>
            <th scope="col">Finished</th>
          </tr>
        </thead>
        <tbody>
          {jobIds.map((id) => (
            <JobRow key={id} id={id} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
