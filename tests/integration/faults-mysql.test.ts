import { existsSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateMariadb, type PrivateServer } from '../../scripts/private-servers.mjs';
import { startNode, type TestNode } from '../helpers/engine';
import { appendCommand, duplicates, sideEffects } from '../helpers/jobs';
import { dropPrefix, tempDir, testPrefix, waitFor } from '../helpers/services';

/** MySQL faults, against a private mariadbd on a free port (never the shared one). */
describe('MySQL outage (private mariadbd, real Redis)', () => {
  let server: PrivateServer;
  // The server's folder outlives a restart (its data), so the test owns it and removes it.
  const serverDir = tempDir('tickr-mariadb-outage');
  let node: TestNode;
  const prefix = testPrefix();
  const twoNodesPrefix = testPrefix();
  const extraNodes: TestNode[] = [];
  const dir = tempDir('tickr-mysql-faults');

  beforeAll(async () => {
    server = await startPrivateMariadb({ dir: serverDir.path, init: true });
  });

  afterAll(async () => {
    await node?.stop();
    for (const n of extraNodes) await n.stop();
    await server?.stop();
    await dropPrefix(prefix);
    await dropPrefix(twoNodesPrefix);
    dir.remove();
    serverDir.remove();
  });

  it('9. MySQL stopped for 10 s while 20 jobs run: every result and log reaches MySQL from the journal', async () => {
    const url = `${server.url}/tickr_outage`;
    node = await startNode({ mysqlUrl: url, prefix, config: { concurrency: 20, leaseMs: 30_000, heartbeatMs: 1_000 } });
    const file = path.join(dir.path, 'outage.txt');
    const task = await node.call('tasks.create', {
      name: 'survivor',
      type: 'shell',
      command: appendCommand(file, 'sleep 2; echo "output of $TICKR_JOB_ID"; '),
      enabled: false,
      overlap: 'allow',
      maxAttempts: 1,
    });
    const jobs = await Promise.all(Array.from({ length: 20 }, () => node.call('tasks.runNow', { id: task.id })));
    await waitFor(async () => node.engine.runningCount === 20, { what: '20 running jobs' });

    const { port, dir: dbDir } = server;
    await server.stop({ keepDir: true });
    await waitFor(async () => node.engine.health().mysql.status === 'down', {
      timeoutMs: 3_000,
      what: 'health to show MySQL down',
    });

    const refused = await node.api.call('tasks.create', { name: 'during outage', type: 'shell', command: 'true' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'STORE_UNAVAILABLE' } });
    expect(!refused.ok && refused.error.message).toMatch(/MySQL is unavailable/);

    // The jobs finish during the outage; their results go to the journal, flushed to disk.
    await waitFor(async () => sideEffects(file).length === 20 && node.engine.runningCount === 0, {
      timeoutMs: 15_000,
      what: 'jobs to finish',
    });
    expect(node.engine.health().mysql.journalPending).toBeGreaterThanOrEqual(20);
    expect(existsSync(path.join(node.dataDir, 'journal.ndjson'))).toBe(true);
    await new Promise((r) => setTimeout(r, 7_000));

    server = await startPrivateMariadb({ port, dir: dbDir });
    const check = await mysql.createConnection(url);
    try {
      await waitFor(
        async () => {
          const [rows] = await check.query<mysql.RowDataPacket[]>(
            "SELECT COUNT(*) AS n FROM jobs WHERE status='succeeded'",
          );
          return Number(rows[0]?.n) === 20;
        },
        { timeoutMs: 30_000, what: 'the journal to be replayed' },
      );
      const [attempts] = await check.query<mysql.RowDataPacket[]>(
        'SELECT job_id, outcome FROM attempts ORDER BY job_id',
      );
      expect(attempts).toHaveLength(20);
      expect(attempts.every((a) => a.outcome === 'succeeded')).toBe(true);
      for (const job of jobs) {
        const [logs] = await check.query<mysql.RowDataPacket[]>(
          "SELECT text FROM job_logs WHERE job_id=? AND stream='stdout'",
          [job.id],
        );
        expect(logs.map((l) => l.text as string).join('')).toBe(`output of ${job.id}\n`);
      }
      const [events] = await check.query<mysql.RowDataPacket[]>(
        "SELECT data_json FROM system_events WHERE kind='journal.replayed'",
      );
      expect(events.length).toBeGreaterThanOrEqual(1);
    } finally {
      await check.end();
    }
    expect(duplicates(sideEffects(file))).toEqual([]);
    expect(sideEffects(file)).toHaveLength(20);
    expect(node.engine.health().mysql.journalPending).toBe(0);
    expect(existsSync(path.join(node.dataDir, 'journal.ndjson'))).toBe(false);
  });

  it('an outage longer than the lease, with two nodes: the other node reaps and re-runs none of the jobs that lived through it', async () => {
    const url = `${server.url}/tickr_outage_two`;
    // A renews its leases at most every 2.5 s; B's reaper looks every 300 ms. Without the hold-off,
    // B reaps A's leases in the first moments after MySQL returns, before A has renewed them.
    const leaseMs = 3_000;
    const a = await startNode({
      mysqlUrl: url,
      prefix: twoNodesPrefix,
      config: { nodeName: 'a', leaseMs, heartbeatMs: 2_500 },
    });
    extraNodes.push(a);
    const file = path.join(dir.path, 'two-nodes.txt');
    const command = (seconds: number): string => appendCommand(file, `sleep ${seconds}; `);
    const task = async (name: string, seconds: number): Promise<string> =>
      (await a.call('tasks.create', { name, type: 'shell', command: command(seconds), enabled: false, maxAttempts: 3 }))
        .id;
    // One job finishes during the outage (its result goes to the journal), one runs through it.
    const short = await a.call('tasks.runNow', { id: await task('finishes during the outage', 2) });
    const long = await a.call('tasks.runNow', { id: await task('runs through the outage', 16) });
    await waitFor(async () => a.engine.runningCount === 2, { what: 'both jobs to run on node a' });
    // B comes up only now, so both jobs are surely A's; B is the node that could reap them.
    const b = await startNode({
      mysqlUrl: url,
      prefix: twoNodesPrefix,
      config: { nodeName: 'b', leaseMs, heartbeatMs: 300 },
    });
    extraNodes.push(b);

    const { port, dir: dbDir } = server;
    await server.stop({ keepDir: true });
    await waitFor(async () => sideEffects(file).length === 1, {
      timeoutMs: 10_000,
      what: 'the short job to finish into the journal',
    });
    // Two leases without MySQL: every lease has expired when it returns.
    await new Promise((r) => setTimeout(r, 2 * leaseMs));
    server = await startPrivateMariadb({ port, dir: dbDir });
    expect(a.engine.runningCount).toBe(1); // the long job is still running

    const check = await mysql.createConnection(url);
    const status = async (id: string): Promise<unknown> => {
      const [rows] = await check.query<mysql.RowDataPacket[]>('SELECT status FROM jobs WHERE id=?', [id]);
      return rows[0]?.status;
    };
    try {
      await waitFor(async () => (await status(short.id)) === 'succeeded' && (await status(long.id)) === 'succeeded', {
        timeoutMs: 30_000,
        what: 'both jobs to end succeeded',
      });
      // Give B's reaper more than a lease after the end to make a late mistake.
      await new Promise((r) => setTimeout(r, leaseMs + 500));
      for (const job of [short, long]) {
        const [attempts] = await check.query<mysql.RowDataPacket[]>(
          'SELECT outcome FROM attempts WHERE job_id=? ORDER BY attempt',
          [job.id],
        );
        expect(
          attempts.map((r) => r.outcome),
          `job ${job.id}`,
        ).toEqual(['succeeded']);
      }
      const [reaped] = await check.query<mysql.RowDataPacket[]>(
        "SELECT COUNT(*) AS n FROM system_events WHERE kind='recovery.leases'",
      );
      expect(Number(reaped[0]?.n)).toBe(0);
    } finally {
      await check.end();
    }
    expect(sideEffects(file)).toHaveLength(2);
    expect(duplicates(sideEffects(file))).toEqual([]);
  });
});
