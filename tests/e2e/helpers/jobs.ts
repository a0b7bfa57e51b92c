import type { Job, Page as ListPage, Task } from '../../../src/shared/types';
import { waitFor } from '../../helpers/services';
import { UI_TIMEOUT_MS } from './browser';
import type { ServeNode } from './serve-node';

/** The one job of the task named `name`, looked up over the API. */
export async function jobOfTask(node: ServeNode, name: string): Promise<{ task: Task; job: Job }> {
  return waitFor(
    async () => {
      const tasks = await node.call<ListPage<Task>>('tasks.list', {});
      const task = tasks.items.find((t) => t.name === name);
      if (!task) return null;
      const jobs = await node.call<ListPage<Job>>('jobs.list', { taskId: task.id });
      const job = jobs.items[0];
      return job ? { task, job } : null;
    },
    { timeoutMs: UI_TIMEOUT_MS, intervalMs: 200, what: `the job of task ${name}` },
  );
}
