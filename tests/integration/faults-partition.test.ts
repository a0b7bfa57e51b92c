import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendCommand, sideEffects } from '../helpers/jobs';
import { isolated } from '../helpers/isolated';
import { readPids } from '../helpers/processes';
import { waitFor } from '../helpers/services';
import { startTcpProxy } from '../helpers/tcp-proxy';

/**
 * A partition: one node loses MySQL (a TCP proxy in front of it cuts every connection) while the
 * other still reaches it. The other node reaps the cut-off node's lease and retries the job; the
 * cut-off node must have ended its attempt first (self-fencing), or both attempts run at once.
 */
describe('a node cut off from MySQL while another reaches it (real Redis and MariaDB, a TCP proxy)', () => {
  const env = isolated();

  it('ends its running attempt before its lease runs out: the retry elsewhere never runs beside it, and the job runs to the end once', async () => {
    const direct = new URL(env.db.url);
    const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 3306) });
    env.onCleanup(() => proxy.close());
    const viaProxy = new URL(env.db.url);
    viaProxy.port = String(proxy.port);

    const leaseMs = 5_000;
    const timings = { leaseMs, heartbeatMs: 500, killGraceMs: 300 };
    const a = await env.node({ mysqlUrl: viaProxy.toString(), config: { nodeName: 'a', ...timings } });
    const file = path.join(env.dir, 'partition.txt');
    const pids = path.join(env.dir, 'partition.pids');
    const overlap = path.join(env.dir, 'partition.overlap');
    // A later attempt first checks that no earlier attempt's shell is still alive.
    const command = appendCommand(
      file,
      `for p in $(cat '${pids}' 2>/dev/null); do kill -0 "$p" 2>/dev/null && echo "attempt $TICKR_ATTEMPT saw $p alive" >> '${overlap}'; done; echo $$ >> '${pids}'; sleep 8; `,
    );
    const task = await a.call('tasks.create', {
      name: 'cut off',
      type: 'shell',
      command,
      enabled: false,
      maxAttempts: 3,
      retryDelayMs: 0,
    });
    const job = await a.call('tasks.runNow', { id: task.id });
    await waitFor(async () => a.engine.runningCount === 1 && readPids(pids).length === 1, {
      what: 'the job to run on node a',
    });
    // B comes up only now, so the first attempt is surely A's.
    const b = await env.node({ config: { nodeName: 'b', ...timings } });

    proxy.cut();
    await waitFor(async () => a.engine.health().mysql.status === 'down', {
      timeoutMs: 3_000,
      what: 'node a to see MySQL down',
    });
    expect(b.engine.health().mysql.status).toBe('up');
    // A fences itself off inside its lease; B reaps the lease and runs attempt 2.
    await waitFor(async () => a.engine.runningCount === 0, { timeoutMs: leaseMs, what: 'node a to end its attempt' });
    const done = await waitFor(
      async () => {
        const j = await b.call('jobs.get', { id: job.id });
        return j.status === 'succeeded' ? j : null;
      },
      { timeoutMs: 30_000, what: 'the retry on node b to succeed' },
    );
    expect(done.attempts.map((x) => x.outcome)).toEqual(['interrupted', 'succeeded']);
    expect(done.attempts[1]?.nodeId).toBe(b.engine.nodeId);
    expect(sideEffects(file)).toEqual([`${job.id} 2`]);
    expect(sideEffects(overlap)).toEqual([]);

    // A comes back: its journal (the fenced attempt's result) is stale and changes nothing.
    proxy.restore();
    await waitFor(async () => a.engine.health().mysql.status === 'up' && a.engine.health().mysql.journalPending === 0, {
      timeoutMs: 10_000,
      what: "node a's journal to be replayed",
    });
    const after = await b.call('jobs.get', { id: job.id });
    expect(after.status).toBe('succeeded');
    expect(after.attempts.map((x) => x.outcome)).toEqual(['interrupted', 'succeeded']);
    const log = (await b.call('jobs.logs', { id: job.id, attempt: 1, limit: 100 })).items.map((e) => e.text).join('');
    expect(log).toContain('this node lost MySQL while other nodes still reach it');
  });
});
