import { Command } from 'cmdk';
import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { commandKeyLabel } from '../frame/shortcut-label';
import { closePalette, goToView, openJob, openPalette, runFromPalette } from '../frame-actions';
import { VIEW_TITLES, VIEWS } from '../routing/routes';
import { useTickrStore } from '../store';
import { THEME_CHOICE_LABELS, THEME_CHOICES } from '../theme/theme';
import { VIEW_ACTIONS } from './view-actions';

interface ItemProps {
  value: string;
  keywords?: string[];
  shortcut?: string;
  run: () => void;
  children: ReactNode;
}

/** One entry: Enter or a click closes the palette and runs it. */
function Item({ value, keywords, shortcut, run, children }: ItemProps) {
  return (
    <Command.Item value={value} keywords={keywords} onSelect={() => runFromPalette(run)}>
      <span>{children}</span>
      {shortcut !== undefined && (
        <kbd aria-hidden="true">
          {commandKeyLabel()} {shortcut}
        </kbd>
      )}
    </Command.Item>
  );
}

function ViewActions() {
  const view = useTickrStore((s) => s.route.view);
  const actions = VIEW_ACTIONS[view];
  if (actions.length === 0) return null;
  return (
    <Command.Group heading={`${VIEW_TITLES[view]}: actions`}>
      {actions.map((action) => (
        <Item
          key={action.id}
          value={action.label}
          keywords={action.keywords}
          shortcut={action.shortcut}
          run={action.run}
        >
          {action.label}
        </Item>
      ))}
    </Command.Group>
  );
}

function JobItem({ id }: { id: string }) {
  const job = useTickrStore((s) => s.jobs.find((j) => j.id === id));
  if (job === undefined) return null;
  return (
    <Item value={`Job ${job.id}`} keywords={[job.status, `task ${job.taskId}`]} run={() => openJob(job.id)}>
      Job {job.id} <span className="muted">· task {job.taskId} ·</span>{' '}
      <span className={`job-status job-status-${job.status}`}>{job.status}</span>
    </Item>
  );
}

/**
 * The newest jobs of the history, by id: typing the id finds it. Only the first PALETTE_JOBS: the
 * history may hold 100,000 loaded rows, and its own job id filter finds any other.
 */
const PALETTE_JOBS = 50;

function JobItems() {
  const jobIds = useTickrStore(useShallow((s) => s.jobs.slice(0, PALETTE_JOBS).map((job) => job.id)));
  if (jobIds.length === 0) return null;
  return (
    <Command.Group heading="Jobs">
      {jobIds.map((id) => (
        <JobItem key={id} id={id} />
      ))}
    </Command.Group>
  );
}

function TaskItem({ id }: { id: string }) {
  const task = useTickrStore((s) => s.tasks.find((t) => t.id === id));
  if (task === undefined) return null;
  const navigate = useTickrStore.getState().navigate;
  return (
    <Item
      value={`Task ${task.id} ${task.name}`}
      keywords={[task.type, task.command ?? '', task.enabled ? 'enabled' : 'paused']}
      run={() => navigate({ view: 'tasks', id: task.id })}
    >
      {task.name}{' '}
      <span className="muted">
        · task {task.id} · {task.type}
      </span>
    </Item>
  );
}

/** Every task in the store, by name, id or command: Enter opens it in the editor. */
function TaskItems() {
  const taskIds = useTickrStore(useShallow((s) => s.tasks.map((task) => task.id)));
  if (taskIds.length === 0) return null;
  return (
    <Command.Group heading="Tasks">
      {taskIds.map((id) => (
        <TaskItem key={id} id={id} />
      ))}
    </Command.Group>
  );
}

/**
 * Ctrl/⌘+K: jump to any view or any job in the store, run the current view's actions, pick the
 * theme. cmdk filters and handles ↑ ↓ Enter; it renders in a Radix dialog (focus kept inside,
 * Esc and a click outside close it). Its own Ctrl+J/K/N/P bindings are off: Ctrl+K closes the
 * palette and Ctrl+N starts a task, as everywhere else (keyboard.ts).
 */
export function CommandPalette() {
  const open = useTickrStore((s) => s.paletteOpen);
  const chooseTheme = useTickrStore((s) => s.chooseTheme);
  return (
    <Command.Dialog
      open={open}
      onOpenChange={(next) => (next ? openPalette() : closePalette())}
      label="Command palette"
      vimBindings={false}
      loop
      overlayClassName="palette-overlay"
      contentClassName="palette"
    >
      <Command.Input placeholder="Go to a view, a task or a job, or run an action…" />
      <Command.List label="Commands">
        <Command.Empty>Nothing matches.</Command.Empty>
        <ViewActions />
        <Command.Group heading="Go to">
          {VIEWS.map((view) => (
            <Item key={view} value={VIEW_TITLES[view]} keywords={['go', 'view', 'open']} run={() => goToView(view)}>
              {VIEW_TITLES[view]}
            </Item>
          ))}
        </Command.Group>
        <TaskItems />
        <JobItems />
        <Command.Group heading="Theme">
          {THEME_CHOICES.map((choice) => (
            <Item
              key={choice}
              value={`Theme: ${THEME_CHOICE_LABELS[choice]}`}
              keywords={['appearance', 'color', 'mode']}
              run={() => chooseTheme(choice)}
            >
              Theme: {THEME_CHOICE_LABELS[choice]}
            </Item>
          ))}
        </Command.Group>
      </Command.List>
      {/* For the eyes only: a screen reader announces the listbox and its options itself. */}
      <p className="palette-keys" aria-hidden="true">
        <span>
          <kbd>↑</kbd> <kbd>↓</kbd> move
        </span>
        <span>
          <kbd>Enter</kbd> run
        </span>
        <span>
          <kbd>Esc</kbd> close
        </span>
      </p>
    </Command.Dialog>
  );
}
