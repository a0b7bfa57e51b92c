import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Job, JobDetail, Task } from '../../src/shared/types';
import { appendCommand, sideEffects } from '../helpers/jobs';
import { spawnNode, type NodeProcess } from '../helpers/node-process';
import { isolated } from '../helpers/isolated';
import { tempDir, waitFor } from '../helpers/services';

describe('expired leases of a crashed node (real processes, Redis and MariaDB)', () => {
  const iso = isolated('file');
  const dataDirA = tempDir('tickr-node-a');
  const procs: NodeProcess[] = [];
  iso.onCleanup(async () => {
    for (const p of procs) await p.stop();
    dataDirA.remove();
  });

  it('another node reaps the expired lease; an "any" job is retried there, a "this-node" job only when its node returns', async () => {
    const env = {
      TICKR_MYSQL_URL: iso.db.url,
      TICKR_REDIS_PREFIX: iso.prefix,
      TICKR_DATA_DIR: dataDirA.path,
      TICKR_NODE_NAME: 'a',
      TICKR_LEASE_MS: '2000',
      TICKR_HEARTBEAT_MS: '500',
    };
    const a = await spawnNode(env);
    procs.push(a);
    const b = await iso.node({ config: { nodeName: 'b', leaseMs: 2_000, heartbeatMs: 500 } });
    const file = path.join(iso.dir, 'effects.txt');
    // The first attempt of each hangs long enough to be cut off by the crash.
    const command = appendCommand(file, 'if [ "$TICKR_ATTEMPT" = 1 ]; then sleep 20; fi; ');
    // Both are created on A; B is busy with nothing, so it could take either if allowed.
    const pinned = await a.call<Task>('tasks.create', {
      name: 'pinned',
      type: 'shell',
      command,
      target: 'this-node',
      retryDelayMs: 100,
    });
    expect(pinned.nodeId).not.toBeNull();
    const anyJobs = async (taskId: string): Promise<Job[]> =>
      (await a.call<{ items: Job[] }>('jobs.list', { taskId })).items;
    const pinnedJob = await waitFor(
      async () => (await anyJobs(pinned.id)).find((j) => j.status === 'running' && j.nodeId === pinned.nodeId),
      { what: 'pinned job running on a' },
    );
    // An "any" job may land on either node; the test needs one running on A, so it creates
    // them until one does (cancelling those B took).
    let shared: Task | null = null;
    let sharedJob: Job | undefined;
    for (let i = 0; i < 10 && !sharedJob; i++) {
      shared = await a.call<Task>('tasks.create', { name: `shared-${i}`, type: 'shell', command, retryDelayMs: 100 });
      sharedJob = await waitFor(async () => (await anyJobs(shared!.id)).find((j) => j.status === 'running'), {
        what: 'shared job running',
      });
      if (sharedJob.nodeId !== pinned.nodeId) {
        await b.call('jobs.cancel', { id: sharedJob.id });
        sharedJob = undefined;
      }
    }
    expect(sharedJob).toBeDefined();

    await a.kill();
    // B reaps both expired leases; it retries the shared job itself and leaves the pinned one.
    const sharedDone = await waitFor(
      async () => {
        const j = await b.call('jobs.get', { id: sharedJob!.id });
        return j.status === 'succeeded' ? j : null;
      },
      { timeoutMs: 20_000, what: 'the shared job to be retried on b' },
    );
    expect(sharedDone.attempts.map((x) => [x.outcome, x.nodeId])).toEqual([
      ['interrupted', pinned.nodeId],
      ['succeeded', b.engine.nodeId],
    ]);
    const waiting: JobDetail = await b.call('jobs.get', { id: pinnedJob.id });
    expect(waiting.status).toBe('waiting');
    expect(waiting.attempts.map((x) => x.outcome)).toEqual(['interrupted']);
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await b.call('jobs.get', { id: pinnedJob.id })).status).toBe('waiting');

    const again = await spawnNode(env);
    procs.push(again);
    const pinnedDone = await waitFor(
      async () => {
        const j = await b.call('jobs.get', { id: pinnedJob.id });
        return j.status === 'succeeded' ? j : null;
      },
      { timeoutMs: 20_000, what: 'the pinned job to run on its own node' },
    );
    expect(pinnedDone.attempts.map((x) => [x.outcome, x.nodeId])).toEqual([
      ['interrupted', pinned.nodeId],
      ['succeeded', pinned.nodeId],
    ]);
    expect(sideEffects(file).sort()).toEqual([`${sharedJob!.id} 2`, `${pinnedJob.id} 2`].sort());
  });
});
