import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/types';
import { isolated } from '../helpers/isolated';
import { waitFor } from '../helpers/services';

/** jobs.neighbours: the occurrences of a job's task just before and after its own (the job page's links). */
describe('jobs.neighbours (real Redis and MariaDB)', () => {
  const env = isolated();

  it('links an occurrence to the ones around it by occurrence time, and a run-now job to none', async () => {
    const node = await env.node();
    const task = await node.call('tasks.create', {
      name: 'every second',
      type: 'shell',
      command: 'true',
      schedule: { type: 'interval', everyMs: 1_000 },
      overlap: 'allow',
    });
    const occurrences = await waitFor(
      async () => {
        const items = (await node.call('jobs.list', { taskId: task.id, limit: 50 })).items;
        return items.length >= 3 ? items : null;
      },
      { what: 'three occurrences', timeoutMs: 15_000 },
    );
    const bySchedule = [...occurrences].sort((a, b) => Date.parse(a.scheduledFor) - Date.parse(b.scheduledFor));
    const [first, second, third] = bySchedule as [Job, Job, Job];
    const around = await node.call('jobs.neighbours', { id: second.id });
    expect(around.previous?.id).toBe(first.id);
    expect(around.next?.id).toBe(third.id);
    expect((await node.call('jobs.neighbours', { id: first.id })).previous).toBeNull();

    // The third was made when the second was dispatched, a second before its due time: pausing
    // now cancels it before it starts, and it gives up its occurrence time (the schedule may make
    // it again on resume). Its page still links to the occurrence before it.
    await node.call('tasks.pause', { id: task.id });
    const cancelled = await node.call('jobs.get', { id: third.id });
    expect(cancelled).toMatchObject({ status: 'cancelled', attempt: 0 });
    expect((await node.call('jobs.neighbours', { id: third.id })).previous?.id).toBe(second.id);

    const manual = await node.call('tasks.runNow', { id: task.id });
    expect(await node.call('jobs.neighbours', { id: manual.id })).toEqual({ previous: null, next: null });
    await expect(node.call('jobs.neighbours', { id: '999999999' })).rejects.toThrow(/NOT_FOUND: id: no job 999999999/);
  });
});
