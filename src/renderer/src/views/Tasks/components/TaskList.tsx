import { useShallow } from 'zustand/react/shallow';
import { useTickrStore } from '../../../app/store';
import { filterTasks } from '../task-list-model';
import { TaskFilters } from './TaskFilters';
import { TaskRow } from './TaskRow';
import { useNow } from '../../../app/use-now';

/** The tasks, filtered in place; rows tick their countdowns from one local clock. */
export function TaskList() {
  const ids = useTickrStore(useShallow((s) => filterTasks(s.tasks, s.recentRuns, s.taskFilters).map((t) => t.id)));
  const total = useTickrStore((s) => s.tasks.length);
  const loaded = useTickrStore((s) => s.tasksLoaded);
  const error = useTickrStore((s) => s.tasksError);
  const actionError = useTickrStore((s) => s.taskActionError);
  const more = useTickrStore((s) => s.tasksCursor !== null);
  const loadMoreTasks = useTickrStore((s) => s.loadMoreTasks);
  const now = useNow();
  return (
    <section className="panel" aria-labelledby="task-list-title">
      <div className="panel-head">
        <h3 id="task-list-title">All tasks</h3>
        <a className="button-link primary" href="#/tasks/new" data-testid="new-task">
          New task
        </a>
      </div>
      <TaskFilters />
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {actionError !== null && (
        <p className="error" role="alert">
          {actionError}
        </p>
      )}
      {loaded && total === 0 && (
        <div className="empty">
          <p>No tasks yet.</p>
          <p>
            A task says what to run — a shell command or an HTTP request — and when: once, on an interval or on a cron
            schedule. <a href="#/tasks/new">Create the first one</a>.
          </p>
        </div>
      )}
      {total > 0 && ids.length === 0 && <p className="empty">No task matches these filters.</p>}
      {ids.length > 0 && (
        <div className="table-scroll">
          <table className="tasks" aria-labelledby="task-list-title">
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">Type</th>
                <th scope="col">Schedule</th>
                <th scope="col">Next run</th>
                <th scope="col">Last result</th>
                <th scope="col">Last 20 runs</th>
                <th scope="col">Enabled</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {ids.map((id) => (
                <TaskRow key={id} id={id} now={now} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {more && (
        <div className="actions">
          <button type="button" className="secondary" onClick={() => void loadMoreTasks()}>
            Load more tasks
          </button>
        </div>
      )}
    </section>
  );
}
