import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/types';
import { startNode, type TestNode } from '../helpers/engine';
import { alive, readPids } from '../helpers/processes';
import { createTestDatabase, dropPrefix, tempDir, testPrefix, waitFor, type TestDatabase } from '../helpers/services';

describe('workers: timeouts, cancel and big output (real Redis and MariaDB)', () => {
  let db: TestDatabase;
  let prefix: string;
  let node: TestNode;
  const dir = tempDir('tickr-workers');

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = testPrefix();
    node = await startNode({ mysqlUrl: db.url, prefix, config: { killGraceMs: 300 } });
  });

  afterAll(async () => {
    await node?.stop();
    await dropPrefix(prefix);
    await db?.drop();
    dir.remove();
  });

  async function jobOf(taskId: string): Promise<Job> {
    return waitFor(async () => (await node.call('jobs.list', { taskId })).items[0], { what: 'job' });
  }

  async function finished(jobId: string): Promise<Job> {
    return waitFor(
      async () => {
        const job = await node.call('jobs.get', { id: jobId });
        return ['succeeded', 'failed', 'cancelled'].includes(job.status) ? job : null;
      },
      { timeoutMs: 30_000, what: `job ${jobId} to finish` },
    );
  }

  it('a task sees none of the node’s own environment: not its token, MySQL URL or secret key', async () => {
    // The engine runs in this process: what it has in its environment, a task could inherit.
    process.env.TICKR_TOKEN = 'node-token-that-must-not-leak-0123';
    process.env.TICKR_MYSQL_URL = 'mysql://root:password-that-must-not-leak@127.0.0.1:3306/x';
    try {
      const task = await node.call('tasks.create', { name: 'env', type: 'shell', command: 'env; echo done' });
      const job = await finished((await jobOf(task.id)).id);
      expect(job.status).toBe('succeeded');
      const log = (await node.call('jobs.logs', { id: job.id })).items.map((e) => e.text).join('');
      expect(log).toContain('done');
      expect(log).toContain('PATH=');
      expect(log).toContain(`TICKR_JOB_ID=${job.id}`);
      expect(log).not.toContain('must-not-leak');
      expect(log).not.toMatch(/^TICKR_(TOKEN|MYSQL_URL|SECRET_KEY)=/m);
    } finally {
      delete process.env.TICKR_TOKEN;
      delete process.env.TICKR_MYSQL_URL;
    }
  });

  // Three distinct processes in the job's tree that all ignore SIGTERM: only SIGKILL to the group
  // ends them. It is a script file run by bash, so the pids are the processes' own whatever
  // $SHELL runs the job (an inline command would have the job's shell expand $$ for all three).
  function stubbornTree(name: string): { command: string; pidFile: string } {
    const pidFile = path.join(dir.path, `${name}.pids`);
    const script = path.join(dir.path, `${name}.sh`);
    writeFileSync(
      script,
      [
        "trap '' TERM",
        `(trap '' TERM; echo $BASHPID >> '${pidFile}'; exec sleep 30) &`,
        `bash -c "trap '' TERM; echo \\$\\$ >> '${pidFile}'; sleep 30" &`,
        `echo $$ >> '${pidFile}'`,
        'wait',
        '',
      ].join('\n'),
    );
    return { command: `bash '${script}'`, pidFile };
  }

  it('a timeout ends the whole process tree, children that ignore SIGTERM included', async () => {
    const { command, pidFile } = stubbornTree('timeout');
    const task = await node.call('tasks.create', {
      name: 'stubborn',
      type: 'shell',
      command,
      timeoutMs: 1_000,
      maxAttempts: 1,
    });
    const job = await finished((await jobOf(task.id)).id);
    expect(job.status).toBe('failed');
    expect(job.error).toContain('timed out after 1000 ms');
    const detail = await node.call('jobs.get', { id: job.id });
    expect(detail.attempts[0]?.outcome).toBe('timed_out');
    const pids = readPids(pidFile);
    expect(new Set(pids).size).toBe(3);
    await waitFor(async () => pids.every((p) => !alive(p)), { timeoutMs: 5_000, what: 'the tree to be gone' });
  });

  it('cancelling a running job ends its tree and records it as cancelled', async () => {
    const { command, pidFile } = stubbornTree('cancel');
    const task = await node.call('tasks.create', { name: 'long', type: 'shell', command, maxAttempts: 3 });
    const job = await jobOf(task.id);
    await waitFor(async () => readPids(pidFile).length === 3, { what: 'the tree to start' });
    const pids = readPids(pidFile);
    expect(new Set(pids).size).toBe(3);
    expect(pids.every(alive)).toBe(true);
    await node.call('jobs.cancel', { id: job.id });
    const done = await finished(job.id);
    expect(done.status).toBe('cancelled');
    expect(done.attempt).toBe(1);
    await waitFor(async () => pids.every((p) => !alive(p)), { timeoutMs: 5_000, what: 'the tree to be gone' });
    const detail = await node.call('jobs.get', { id: job.id });
    expect(detail.attempts.map((a) => a.outcome)).toEqual(['cancelled']);
  });

  it('cancelling a waiting job means it never runs', async () => {
    const marker = path.join(dir.path, 'never');
    const task = await node.call('tasks.create', {
      name: 'later',
      type: 'shell',
      command: `touch ${marker}`,
      schedule: { type: 'once', delayMs: 1_000 },
    });
    const job = await jobOf(task.id);
    const cancelled = await node.call('jobs.cancel', { id: job.id });
    expect(cancelled.status).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await node.call('jobs.get', { id: job.id })).attempts).toHaveLength(0);
    expect(readPids(marker)).toEqual([]);
  });

  it('caps 5 MB of interleaved output at 1 MiB with a notice, keeping order per stream', async () => {
    // 5 MB: 40,000 numbered lines of ~128 bytes on each stream, written alternately.
    const script =
      "for (let i = 0; i < 40000; i++) { const s = String(i).padStart(8, '0') + ' ' + 'x'.repeat(118) + '\\n'; if (i % 2) process.stderr.write('E' + s); else process.stdout.write('O' + s); }";
    const scriptFile = path.join(dir.path, 'spew.cjs');
    writeFileSync(scriptFile, script);
    const task = await node.call('tasks.create', {
      name: 'spew',
      type: 'shell',
      command: `node ${scriptFile}; printf '\\377\\376bad bytes\\n'`,
    });
    const job = await finished((await jobOf(task.id)).id);
    expect(job.status).toBe('succeeded');
    const entries = [];
    let afterSeq = 0;
    for (;;) {
      const page = await node.call('jobs.logs', { id: job.id, afterSeq, limit: 1000 });
      entries.push(...page.items);
      if (page.items.length === 0) break;
      afterSeq = page.nextSeq;
    }
    const out = entries
      .filter((e) => e.stream === 'stdout')
      .map((e) => e.text)
      .join('');
    const err = entries
      .filter((e) => e.stream === 'stderr')
      .map((e) => e.text)
      .join('');
    expect(Buffer.byteLength(out) + Buffer.byteLength(err)).toBeLessThanOrEqual(1_048_576);
    expect(Buffer.byteLength(out) + Buffer.byteLength(err)).toBeGreaterThan(1_000_000);
    const notice = entries
      .filter((e) => e.stream === 'system')
      .map((e) => e.text)
      .join('');
    expect(notice).toMatch(/\[log truncated\] output past 1048576 bytes was not kept: \d+ more bytes were discarded/);
    const numbers = (text: string, tag: string): number[] =>
      text
        .split('\n')
        .filter((l) => l.startsWith(tag) && l.length === 128)
        .map((l) => Number(l.slice(1, 9)));
    const outNums = numbers(out, 'O');
    const errNums = numbers(err, 'E');
    expect(outNums.length).toBeGreaterThan(1000);
    expect(errNums.length).toBeGreaterThan(1000);
    expect(outNums).toEqual([...outNums].sort((a, b) => a - b));
    expect(errNums).toEqual([...errNums].sort((a, b) => a - b));
    expect(outNums.every((n) => n % 2 === 0)).toBe(true);
    // Chunks, not a row per line.
    expect(entries.length).toBeLessThan(outNums.length + errNums.length);
    // seq is strictly increasing.
    expect(entries.map((e) => e.seq)).toEqual([...entries.map((e) => e.seq)].sort((a, b) => a - b));
  });

  it('turns bytes that are not UTF-8 into replacement characters', async () => {
    const task = await node.call('tasks.create', {
      name: 'bytes',
      type: 'shell',
      command: "printf 'ok \\377\\376 end\\n'",
    });
    const job = await finished((await jobOf(task.id)).id);
    const text = (await node.call('jobs.logs', { id: job.id })).items
      .filter((e) => e.stream === 'stdout')
      .map((e) => e.text)
      .join('');
    expect(text).toBe('ok \uFFFD\uFFFD end\n');
  });
});
