import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from '../helpers/engine';
import { createTestDatabase, dropPrefix, testPrefix, type TestDatabase } from '../helpers/services';

/** tasks.pauseAll / tasks.resumeAll (the tray's actions) against a real engine, Redis and MariaDB. */
describe('tasks.pauseAll and tasks.resumeAll', () => {
  let db: TestDatabase;
  let prefix: string;
  let node: TestNode;

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = testPrefix();
    node = await startNode({ mysqlUrl: db.url, prefix });
  });

  afterAll(async () => {
    await node?.stop();
    await dropPrefix(prefix);
    await db?.drop();
  });

  it('pauses every enabled task, cancelling its pending run, and resumes every paused one', async () => {
    const hourly = { type: 'cron', expr: '0 * * * *', timezone: 'UTC' } as const;
    const a = await node.call('tasks.create', { name: 'a', type: 'shell', command: 'true', schedule: hourly });
    const b = await node.call('tasks.create', { name: 'b', type: 'shell', command: 'true', schedule: hourly });
    const off = await node.call('tasks.create', { name: 'off', type: 'shell', command: 'true', enabled: false });
    const gone = await node.call('tasks.create', { name: 'gone', type: 'shell', command: 'true', schedule: hourly });
    await node.call('tasks.delete', { id: gone.id });

    const paused = await node.call('tasks.pauseAll', {});
    expect(paused.paused.sort()).toEqual([a.id, b.id].sort());
    for (const id of [a.id, b.id, off.id]) expect((await node.call('tasks.get', { id })).enabled).toBe(false);
    const waiting = await node.call('jobs.list', { taskId: a.id, status: 'waiting' });
    expect(waiting.items).toEqual([]);
    // Nothing left to pause: a second call is a no-op.
    expect((await node.call('tasks.pauseAll', {})).paused).toEqual([]);

    const resumed = await node.call('tasks.resumeAll', {});
    expect(resumed.resumed.sort()).toEqual([a.id, b.id, off.id].sort());
    for (const id of [a.id, b.id, off.id]) expect((await node.call('tasks.get', { id })).enabled).toBe(true);
    // The deleted task stays deleted.
    await expect(node.call('tasks.get', { id: gone.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
