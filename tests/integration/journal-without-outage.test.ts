import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendCommand, count, queueTaskOnce, sideEffects } from '../helpers/jobs';
import { isolated } from '../helpers/isolated';
import { waitFor } from '../helpers/services';

/**
 * Found by the soak (seed 2): after MariaDB restarted, node c's next result write met a pooled
 * connection the restart had closed, so the result went to the journal, while the health probe,
 * on a fresh connection, still saw MySQL up. The journal is replayed when MySQL comes back, and
 * MySQL never went away as far as the node knew: every later result followed into the journal
 * for 20 s, the jobs stayed `running` in MySQL, their leases ran out and the other nodes ran 35
 * of them a second time. A write that fails while MySQL is up has no outage to wait for.
 */
describe('a result journaled while MySQL is up (real Redis and MariaDB)', () => {
  const env = isolated();

  it('is replayed at the next heartbeat, inside its lease: the other node never runs the job again', async () => {
    let failNext = true;
    const timings = { leaseMs: 3_000, heartbeatMs: 500 };
    const a = await env.node({
      config: { nodeName: 'a', ...timings },
      faults: {
        beforeRecord: () => {
          if (!failNext) return;
          failNext = false;
          // What mysql2 says of a pooled connection the server closed meanwhile.
          throw Object.assign(new Error('Connection lost: The server closed the connection.'), {
            code: 'PROTOCOL_CONNECTION_LOST',
            fatal: true,
          });
        },
      },
    });
    const file = path.join(env.dir, 'journaled.txt');
    const taskId = await queueTaskOnce(a, 'journaled while up', appendCommand(file, 'sleep 0.3; '));
    const job = await a.call('tasks.runNow', { id: taskId });
    await waitFor(async () => a.engine.runningCount === 1, { what: 'the job to run on node a' });
    // B comes up only now, so the attempt is surely A's; B is the node that would reap its lease.
    const b = await env.node({ config: { nodeName: 'b', ...timings } });
    await waitFor(async () => sideEffects(file).length === 1 && a.engine.runningCount === 0, {
      what: 'the job to end on node a',
    });
    expect(a.engine.health().mysql.status).toBe('up');

    await waitFor(async () => (await b.call('jobs.get', { id: job.id })).status === 'succeeded', {
      timeoutMs: 2_000,
      what: 'the journaled result to reach MySQL within a few heartbeats',
    });
    expect(a.engine.health().mysql.journalPending).toBe(0);
    // More than a lease later, nothing was reaped or run again.
    await new Promise((r) => setTimeout(r, timings.leaseMs + 500));
    const pool = b.engine.context.pool;
    expect(await count(pool, 'SELECT COUNT(*) FROM attempts WHERE job_id=?', [job.id])).toBe(1);
    expect(await count(pool, "SELECT COUNT(*) FROM system_events WHERE kind='recovery.leases'")).toBe(0);
    expect(sideEffects(file)).toEqual([`${job.id} 1`]);
  });
});
