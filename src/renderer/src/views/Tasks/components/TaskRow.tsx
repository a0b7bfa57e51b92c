import { useState } from 'react';
import { useTickrStore } from '../../../app/store';
import { countdown, lastResultOf, scheduleInWords } from '../task-list-model';
import { DeleteTaskDialog } from './DeleteTaskDialog';
import { RunStrip } from './RunStrip';

export const taskRowId = (id: string): string => `task-row-${id}`;

const RESULT_LABELS = {
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
  skipped: 'skipped',
  never: 'not run yet',
} as const;

/** One task of the list; it reads its own task, so an update re-renders only its row. */
export function TaskRow({ id, now }: { id: string; now: number }) {
  const task = useTickrStore((s) => s.tasks.find((t) => t.id === id));
  const runs = useTickrStore((s) => s.recentRuns[id]);
  const busy = useTickrStore((s) => s.taskBusy[id] === true);
  const setTaskEnabled = useTickrStore((s) => s.setTaskEnabled);
  const runTaskNow = useTickrStore((s) => s.runTaskNow);
  const deleteTask = useTickrStore((s) => s.deleteTask);
  const [confirming, setConfirming] = useState(false);
  if (task === undefined) return null;
  const result = lastResultOf(runs);
  const next = task.enabled ? countdown(task.nextRunAt, now) : 'paused';
  return (
    <tr id={taskRowId(id)} data-testid="task-row" data-task-id={id}>
      <th scope="row" className="task-name">
        <a href={`#/tasks/${id}`}>{task.name}</a>
        <span className="task-command">
          {task.type === 'shell' ? task.command : `${task.http?.method} ${task.http?.url}`}
        </span>
      </th>
      <td>
        <span className={`type-badge type-${task.type}`}>{task.type}</span>
      </td>
      <td className="task-schedule">{scheduleInWords(task.schedule)}</td>
      <td data-testid="task-next-run" title={task.nextRunAt ?? undefined}>
        {next}
      </td>
      <td>
        <span className={`result result-${result}`} data-testid="task-last-result">
          {RESULT_LABELS[result]}
        </span>
      </td>
      <td>
        <RunStrip runs={runs} taskName={task.name} />
      </td>
      <td>
        <button
          type="button"
          role="switch"
          className="switch"
          aria-checked={task.enabled}
          aria-label={`Enabled: ${task.name}`}
          disabled={busy}
          onClick={() => void setTaskEnabled(id, !task.enabled)}
        >
          <span className="switch-knob" aria-hidden="true" />
        </button>
      </td>
      <td className="row-actions">
        <button
          type="button"
          className="secondary"
          aria-label={`Run now: ${task.name}`}
          disabled={busy}
          onClick={() => void runTaskNow(id)}
        >
          Run now
        </button>
        <a className="button-link" href={`#/tasks/${id}`} aria-label={`Edit: ${task.name}`}>
          Edit
        </a>
        <button
          type="button"
          className="secondary danger-text"
          aria-label={`Delete: ${task.name}`}
          disabled={busy}
          onClick={() => setConfirming(true)}
        >
          Delete
        </button>
        {confirming && (
          <DeleteTaskDialog
            taskName={task.name}
            onClose={() => setConfirming(false)}
            onConfirm={(purge) => {
              setConfirming(false);
              void deleteTask(id, purge);
            }}
          />
        )}
      </td>
    </tr>
  );
}
