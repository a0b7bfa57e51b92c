import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { batchSummary, resetBatchStats } from '../../src/main/engine/batch-stats';
import { claimJobs } from '../../src/main/engine/dispatch/claim';
import { Completer } from '../../src/main/engine/execution/completer';
import { writeWholeGroup, type FinishWrite } from '../../src/main/engine/store/jobs';
import { seqBaseOf } from '../../src/main/engine/store/logs';
import { count, mysqlOnlyJobs, queueTaskOnce, rows, sideEffects } from '../helpers/jobs';
import { isolated } from '../helpers/isolated';
import { tempDir, waitFor } from '../helpers/services';

/**
 * What batching makes new: a claim of several ids in one transaction where some lose the
 * compare-and-set, a group of results where some do not apply, and a node that dies with only
 * part of a batch's results written.
 */
describe('batched claims and completions (real Redis and MariaDB)', () => {
  const env = isolated();

  it('a batch where some ids lost the compare-and-set: only the winners run, the rest are untouched', async () => {
    const node = await env.node({ config: { sweepMs: 600_000 } });
    const pool = node.engine.context.pool;
    const taskId = await queueTaskOnce(node, 'batch-claim', 'true');
    const [won, taken, cancelled, pinned] = await mysqlOnlyJobs(pool, taskId, 4);
    const [later] = await mysqlOnlyJobs(pool, taskId, 1, new Date(Date.now() + 3_600_000));
    await pool.query("UPDATE jobs SET status='running', attempt=1, claim_token='other-node-token' WHERE id=?", [taken]);
    await pool.query("UPDATE jobs SET status='cancelled' WHERE id=?", [cancelled]);
    await pool.query("UPDATE jobs SET pinned_node_id='another-node' WHERE id=?", [pinned]);
    const missing = '987654321';

    resetBatchStats();
    const token = 'batch-token-0123456789abcdef0123';
    const outcomes = await claimJobs(node.engine.context, [later!, missing, pinned!, cancelled!, taken!, won!], token);
    const kinds = Object.fromEntries(
      await Promise.all([...outcomes].map(async ([id, o]) => [id, (await o).kind] as const)),
    );
    expect(kinds).toEqual({
      [won!]: 'run',
      [taken!]: 'none',
      [cancelled!]: 'none',
      [pinned!]: 'none',
      [later!]: 'none',
      [missing]: 'none',
    });
    expect(batchSummary('claim')).toMatchObject({ batches: 1, items: 6 });

    const state = await rows(pool, 'SELECT id, status, attempt, claim_token FROM jobs ORDER BY id');
    expect(state.map((r) => [String(r.id), r.status, r.attempt, r.claim_token])).toEqual([
      [won, 'running', 1, token],
      [taken, 'running', 1, 'other-node-token'],
      [cancelled, 'cancelled', 0, null],
      [pinned, 'waiting', 0, null],
      [later, 'waiting', 0, null],
    ]);
    // One attempt row, the winner's, written in the claim's transaction.
    const attempts = await rows(pool, 'SELECT job_id, attempt, claim_token, outcome FROM attempts');
    expect(attempts.map((r) => [String(r.job_id), r.attempt, r.claim_token, r.outcome])).toEqual([
      [won, 1, token, 'running'],
    ]);
  });

  it('a completion group where one result is stale and one is refused: each gets its own answer', async () => {
    const node = await env.node({ config: { sweepMs: 600_000 } });
    const ctx = node.engine.context;
    const taskId = await queueTaskOnce(node, 'batch-finish', 'true');
    const ids = await mysqlOnlyJobs(ctx.pool, taskId, 5);
    const token = 'finish-token-0123456789abcdef012';
    const claims = await claimJobs(ctx, ids, token);
    for (const id of ids) expect((await claims.get(id))?.kind).toBe('run');

    const finishedAt = new Date();
    const write = (id: string, over: Partial<FinishWrite> = {}, exitCode = 0): FinishWrite => ({
      id,
      attempt: 1,
      token,
      result: { outcome: 'succeeded', exitCode, signal: null, httpStatus: null, error: null, finishedAt },
      plan: { status: 'succeeded', dueAt: null },
      logs: [{ jobId: id, seq: seqBaseOf(1) + 1, attempt: 1, stream: 'stdout', at: finishedAt, text: `out ${id}\n` }],
      ...over,
    });
    const [okA, okB, stale, refused, okC] = ids as [string, string, string, string, string];
    const completer = new Completer(ctx);

    // First, a group that applies whole: one transaction for all of it.
    resetBatchStats();
    const whole = await Promise.all([okA, okB].map((id) => completer.finish(write(id))));
    expect(whole).toEqual([true, true]);
    expect(batchSummary('finish')).toMatchObject({ batches: 1, items: 2 });

    // A group that does not apply whole writes nothing: its counts come back short, and the
    // logs and rows it wrote before the commit are rolled back.
    const notWhole = await writeWholeGroup(ctx.pipelinePool, [
      write(stale, { token: 'not-the-claim-token-000000000000' }),
      write(okC),
    ]);
    expect(notWhole).toBe(false);
    const untouched = await rows(ctx.pool, 'SELECT status FROM jobs WHERE id IN (?, ?)', [stale, okC]);
    expect(untouched.map((r) => r.status)).toEqual(['running', 'running']);
    expect(await count(ctx.pool, 'SELECT COUNT(*) FROM job_logs WHERE job_id IN (?, ?)', [stale, okC])).toBe(0);
    // So does a group whose jobs apply but one attempt row does not (its token is another's).
    await ctx.pool.query("UPDATE attempts SET claim_token='another-claim-token-000000000000' WHERE job_id=?", [okC]);
    expect(await writeWholeGroup(ctx.pipelinePool, [write(okC)])).toBe(false);
    expect(await count(ctx.pool, "SELECT COUNT(*) FROM jobs WHERE id=? AND status='running'", [okC])).toBe(1);
    await ctx.pool.query('UPDATE attempts SET claim_token=? WHERE job_id=?', [token, okC]);

    // Then one with a stale token and a value MySQL refuses (exit code past INT) among good ones.
    resetBatchStats();
    const answers = await Promise.allSettled([
      completer.finish(write(stale, { token: 'not-the-claim-token-000000000000' })),
      completer.finish(write(refused, {}, 2 ** 40)),
      completer.finish(write(okC)),
    ]);
    expect(batchSummary('finish')).toMatchObject({ batches: 1, items: 3 });
    expect(answers[0]).toEqual({ status: 'fulfilled', value: false });
    expect(answers[1]?.status).toBe('rejected');
    expect(String((answers[1] as PromiseRejectedResult).reason)).toMatch(/out of range/i);
    expect(answers[2]).toEqual({ status: 'fulfilled', value: true });

    const state = await rows(ctx.pool, 'SELECT id, status, claim_token FROM jobs ORDER BY id');
    expect(state.map((r) => [String(r.id), r.status])).toEqual([
      [okA, 'succeeded'],
      [okB, 'succeeded'],
      [stale, 'running'],
      [refused, 'running'],
      [okC, 'succeeded'],
    ]);
    const outcomes = await rows(ctx.pool, 'SELECT job_id, outcome FROM attempts ORDER BY job_id');
    expect(outcomes.map((r) => r.outcome)).toEqual(['succeeded', 'succeeded', 'running', 'running', 'succeeded']);
    // Each log is kept even when its result is stale or refused (as a single finish keeps it),
    // and none is doubled by the group's rollback and the writes one by one after it.
    expect(await count(ctx.pool, 'SELECT COUNT(*) FROM job_logs')).toBe(5);
    expect(await count(ctx.pool, 'SELECT COUNT(DISTINCT job_id) FROM job_logs')).toBe(5);

    // A result that comes after its lease was reaped (the job waits for its retry, its attempt
    // recorded as interrupted, as the reaper leaves them) changes neither, even with its own
    // token: the attempt row follows the job's compare-and-set (the soak found this one).
    await ctx.pool.query("UPDATE jobs SET status='waiting', claim_token=NULL WHERE id=?", [stale]);
    await ctx.pool.query("UPDATE attempts SET outcome='interrupted', finished_at=NOW(3) WHERE job_id=?", [stale]);
    const late = await Promise.all([completer.finish(write(stale)), completer.finish(write(refused))]);
    expect(late).toEqual([false, true]);
    const after = await rows(
      ctx.pool,
      'SELECT j.status, a.outcome FROM jobs j JOIN attempts a ON a.job_id = j.id WHERE j.id=?',
      [stale],
    );
    expect(after).toEqual([{ status: 'waiting', outcome: 'interrupted' }]);
  });

  it('a worker goes on to the next job while its result is written, for at most as many results as workers', async () => {
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const waiting: string[] = [];
    const node = await env.node({
      config: { concurrency: 2, sweepMs: 600_000 },
      faults: {
        beforeRecord: async (id) => {
          waiting.push(id);
          await gate;
        },
      },
    });
    const pool = node.engine.context.pool;
    const taskId = await queueTaskOnce(node, 'handed on', 'true');
    const ids = await mysqlOnlyJobs(pool, taskId, 5);
    await node.engine.context.queue.add(ids.map((id) => ({ id, dueMs: Date.now(), pinnedNodeId: null })));
    node.engine.context.wake.notify();

    // The first two ended and handed their workers on; the next two ran on them and keep them,
    // as two results already wait; the fifth job waits for a worker.
    await waitFor(async () => waiting.length === 4, { what: 'four results to wait for their write' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(waiting).toHaveLength(4);
    expect(await count(pool, 'SELECT COUNT(*) FROM attempts')).toBe(4);
    expect(await count(pool, "SELECT COUNT(*) FROM jobs WHERE status='running'")).toBe(4);
    // Nothing is recorded yet: all four still count as running and keep their leases.
    expect(node.engine.runningCount).toBe(4);
    expect(node.engine.health().node.running).toBe(0);

    open();
    await waitFor(async () => (await count(pool, "SELECT COUNT(*) FROM jobs WHERE status='succeeded'")) === 5, {
      what: 'all five jobs to succeed',
    });
    const attempts = await rows(pool, 'SELECT job_id, attempt, outcome FROM attempts ORDER BY job_id');
    expect(attempts.map((r) => [String(r.job_id), r.attempt, r.outcome])).toEqual(
      ids.map((id) => [id, 1, 'succeeded']),
    );
    expect(node.engine.runningCount).toBe(0);
  });

  it('a node killed with a batch half completed: the finished half stays done, the rest is retried once', async () => {
    const dataDir = tempDir('tickr-batch-crash');
    const file = path.join(env.dir, 'batch-crash.txt');
    // Attempt 1 of the slow jobs outlives the node; their retries are quick.
    const command =
      `echo "$TICKR_JOB_ID $TICKR_ATTEMPT" >> ${file}; ` +
      `if [ "$TICKR_ROLE" = slow ] && [ "$TICKR_ATTEMPT" = 1 ]; then sleep 60; fi`;
    const first = await env.node({ dataDir: dataDir.path, config: { concurrency: 4, sweepMs: 600_000 } });
    const pool = first.engine.context.pool;
    const fast = await first.call('tasks.create', {
      name: 'fast',
      type: 'shell',
      command,
      env: { TICKR_ROLE: 'fast' },
      enabled: false,
      overlap: 'allow',
      maxAttempts: 3,
      retryDelayMs: 100,
    });
    const slow = await first.call('tasks.create', {
      name: 'slow',
      type: 'shell',
      command,
      env: { TICKR_ROLE: 'slow' },
      enabled: false,
      overlap: 'allow',
      maxAttempts: 3,
      retryDelayMs: 100,
    });
    // All four are ready before the node takes any, so it takes them as one batch.
    const ids = [...(await mysqlOnlyJobs(pool, fast.id, 2)), ...(await mysqlOnlyJobs(pool, slow.id, 2))];
    await first.engine.context.queue.add(ids.map((id) => ({ id, dueMs: Date.now(), pinnedNodeId: null })));
    first.engine.context.wake.notify();
    const [fastA, fastB, slowA, slowB] = ids as [string, string, string, string];

    await waitFor(
      async () =>
        (await count(pool, "SELECT COUNT(*) FROM jobs WHERE status='succeeded'")) === 2 &&
        sideEffects(file).length === 4,
      { what: 'the fast half to finish while the slow half runs' },
    );
    const tokens = await rows(pool, 'SELECT DISTINCT claim_token FROM attempts WHERE attempt=1');
    expect(tokens).toHaveLength(1);
    await first.engine.halt();

    const second = await env.node({ dataDir: dataDir.path, config: { concurrency: 4, sweepMs: 600_000 } });
    expect(second.engine.nodeId).toBe(first.engine.nodeId);
    const after = second.engine.context.pool;
    await waitFor(async () => (await count(after, "SELECT COUNT(*) FROM jobs WHERE status='succeeded'")) === 4, {
      what: 'the interrupted half to be retried after restart',
    });
    const attempts = await rows(after, 'SELECT job_id, attempt, outcome FROM attempts ORDER BY job_id, attempt');
    expect(attempts.map((r) => [String(r.job_id), r.attempt, r.outcome])).toEqual([
      [fastA, 1, 'succeeded'],
      [fastB, 1, 'succeeded'],
      [slowA, 1, 'interrupted'],
      [slowA, 2, 'succeeded'],
      [slowB, 1, 'interrupted'],
      [slowB, 2, 'succeeded'],
    ]);
    // The finished half ran once; the interrupted half once more, as attempt 2.
    expect(sideEffects(file).sort()).toEqual(
      [`${fastA} 1`, `${fastB} 1`, `${slowA} 1`, `${slowA} 2`, `${slowB} 1`, `${slowB} 2`].sort(),
    );
    dataDir.remove();
  });
});
