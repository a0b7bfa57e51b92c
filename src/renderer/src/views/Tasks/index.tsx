import { useEffect, useState } from 'react';
import { useTickrStore } from '../../app/store';
import { GettingStarted } from './components/GettingStarted';
import { TaskEditor } from './components/TaskEditor';
import { TaskList } from './components/TaskList';
import { emptyForm, formFromTask, type TaskFormState } from './form-model';
import './tasks.css';

/** The route id that opens the editor on a new task: `#/tasks/new`. */
export const NEW_TASK_ID = 'new';

/**
 * `#/tasks/<id>`: the task read with tasks.get (no secret values), then the editor on it. Keyed by
 * id where it is used, so another task starts from a fresh "loading" state.
 */
function EditTask({ id }: { id: string }) {
  const loadTask = useTickrStore((s) => s.loadTask);
  const error = useTickrStore((s) => s.taskLoadError);
  const [initial, setInitial] = useState<TaskFormState | null>(null);
  useEffect(() => {
    let current = true;
    void loadTask(id).then((task) => {
      if (current && task !== null) setInitial(formFromTask(task));
    });
    return () => {
      current = false;
    };
  }, [id, loadTask]);
  if (initial === null)
    return error !== null ? (
      <p className="error" role="alert">
        {error}
      </p>
    ) : (
      <p className="hint">Loading task {id}…</p>
    );
  return <TaskEditor key={id} initial={initial} />;
}

/** The list at `#/tasks`, the editor at `#/tasks/new` and `#/tasks/<id>`. */
export function TasksView() {
  const id = useTickrStore((s) => s.route.id);
  const loadTasks = useTickrStore((s) => s.loadTasks);
  // Read each time the list is shown; from then on job.updated events keep it current.
  useEffect(() => {
    if (id === null) void loadTasks();
  }, [id, loadTasks]);
  if (id === NEW_TASK_ID) return <TaskEditor key="new" initial={emptyForm()} />;
  if (id !== null) return <EditTask key={id} id={id} />;
  return (
    <>
      <GettingStarted showError />
      <TaskList />
    </>
  );
}
