import type { QueueEntryView } from '../../../../../shared/types';
import { routeHash } from '../../../app/routing/routes';

/** What an entry calls its task: its name, else its id, else that MySQL could not say. */
export function taskLabel(entry: QueueEntryView): string {
  if (entry.taskName !== null) return entry.taskName;
  return entry.taskId !== null ? `task ${entry.taskId}` : 'task unknown';
}

/** The job's id and its task's name, as one link to the job's page (`#/jobs/<id>`). */
export function EntryLink({ entry }: { entry: QueueEntryView }) {
  const label = taskLabel(entry);
  return (
    <a className="entry-link" href={routeHash({ view: 'jobs', id: entry.id })} title={`Job ${entry.id} of ${label}`}>
      <span className="entry-id">#{entry.id}</span> <span className="entry-task">{label}</span>
    </a>
  );
}
