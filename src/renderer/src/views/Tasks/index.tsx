import { GettingStarted } from './components/GettingStarted';
import { TaskForm } from './components/TaskForm';

/** For now the form that creates a shell task and runs it once; the task list and editor come later. */
export function TasksView() {
  return (
    <>
      <GettingStarted showError={false} />
      <section className="panel" aria-labelledby="new-task-title">
        <h3 id="new-task-title">New shell task</h3>
        <TaskForm />
      </section>
    </>
  );
}
