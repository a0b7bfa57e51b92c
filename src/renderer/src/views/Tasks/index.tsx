import { TaskForm } from './components/TaskForm';

/** For now only the form that creates a shell task and runs it once. */
export function TasksView() {
  return (
    <section className="panel">
      <h2>New shell task</h2>
      <TaskForm />
    </section>
  );
}
