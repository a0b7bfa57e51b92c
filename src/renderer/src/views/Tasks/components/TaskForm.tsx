import { useState, type FormEvent } from 'react';
import { useTickrStore } from '../../../app/store';

/** The form's first field, which Ctrl+N and the palette's "New task" focus (app/frame-actions.ts). */
export const TASK_NAME_FIELD_ID = 'new-task-name';

export function TaskForm() {
  const [name, setName] = useState('');
  const [command, setCommand] = useState('');
  const createShellTask = useTickrStore((s) => s.createShellTask);
  const creating = useTickrStore((s) => s.creating);
  const error = useTickrStore((s) => s.createError);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // The engine validates the input too; this only keeps the form from sending the obvious miss.
    if (name.trim() === '' || command.trim() === '') return;
    if (await createShellTask(name.trim(), command)) {
      setName('');
      setCommand('');
    }
  }

  return (
    <form className="task-form" onSubmit={(e) => void submit(e)}>
      <label>
        Name
        <input
          id={TASK_NAME_FIELD_ID}
          data-testid="task-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="backup"
        />
      </label>
      <label>
        Command
        <input
          data-testid="task-command"
          value={command}
          onChange={(e) => setCommand(e.target.value)}
          placeholder="echo hello"
        />
      </label>
      <button type="submit" data-testid="task-create" disabled={creating}>
        {creating ? 'Creating…' : 'Create and run'}
      </button>
      {error !== null && (
        <p className="error" data-testid="task-error">
          {error}
        </p>
      )}
    </form>
  );
}
