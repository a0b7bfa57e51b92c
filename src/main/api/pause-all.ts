import { TickrError } from '../../shared/errors';
import type { Engine } from '../engine/engine';
import { guardStore } from '../engine/store/errors';
import { listTasks } from '../engine/store/tasks';

/**
 * `tasks.pauseAll` / `tasks.resumeAll` (the tray's "Pause all" and "Resume all"): every task
 * that is enabled (or paused) goes through the same `pause` (`resume`) as one task does, so its
 * pending jobs are cancelled and its schedule waits exactly as in the Tasks view.
 */

/** Read in pages: the keyset cursor is an id, so a task leaving the filter does not shift them. */
const PAGE = 500;

async function each(engine: Engine, enabled: boolean, apply: (id: string) => Promise<unknown>): Promise<string[]> {
  const done: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await guardStore(() => listTasks(engine.context.pool, { limit: PAGE, cursor, enabled }));
    for (const task of page.items) {
      try {
        await apply(task.id);
        done.push(task.id);
      } catch (err) {
        // Deleted since the page was read: nothing left to pause. Anything else is the caller's.
        if (!(err instanceof TickrError && err.code === 'NOT_FOUND')) throw err;
      }
    }
    if (page.nextCursor === null) return done;
    cursor = page.nextCursor;
  }
}

export async function pauseAllTasks(engine: Engine): Promise<{ paused: string[] }> {
  return { paused: await each(engine, true, (id) => engine.tasks.pause(id)) };
}

/** Resumes every paused task, also one paused on its own before "Pause all". */
export async function resumeAllTasks(engine: Engine): Promise<{ resumed: string[] }> {
  return { resumed: await each(engine, false, (id) => engine.tasks.resume(id)) };
}
