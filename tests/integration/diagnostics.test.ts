import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startPrivateRedis, type PrivateServer } from '../../scripts/private-servers.mjs';
import type { DiagnosticKind, DiagnosticsReport } from '../../src/shared/types';
import { isolated } from '../helpers/isolated';
import type { TestNode } from '../helpers/engine';
import { bulkJobs, queueTaskOnce } from '../helpers/jobs';
import { REDIS_URL, waitFor } from '../helpers/services';

/**
 * diagnostics.check and diagnostics.repair against a real Redis (own prefix) and MariaDB (own
 * database): each finding is planted by hand in Redis or MySQL, reported, and repaired.
 */
describe('diagnostics: is Redis telling the truth?', () => {
  const iso = isolated('test');
  const clients: Redis[] = [];

  afterEach(() => {
    for (const c of clients.splice(0)) c.disconnect();
  });

  const redis = (): Redis => {
    const c = new Redis(REDIS_URL);
    clients.push(c);
    return c;
  };

  /** A node whose sweep stays out of the way, with `n` jobs due in an hour (settled: changed a minute ago). */
  async function nodeWithJobs(n: number): Promise<{ node: TestNode; ids: string[] }> {
    // A sweep would re-add what a test removed before the check could see it.
    const node = await iso.node({ config: { sweepMs: 600_000 } });
    const taskId = await queueTaskOnce(node, 'later', 'true');
    const due = new Date(Date.now() + 3_600_000);
    const ids = await bulkJobs(
      node,
      taskId,
      Array.from({ length: n }, () => due),
    );
    await node.engine.context.pool.query('UPDATE jobs SET updated_at = DATE_SUB(updated_at, INTERVAL 1 MINUTE)');
    return { node, ids };
  }

  const check = (node: TestNode, input: { maxIds?: number; budgetMs?: number } = {}): Promise<DiagnosticsReport> =>
    node.call('diagnostics.check', input);
  const found = (r: DiagnosticsReport, kind: DiagnosticKind) => r.findings.find((f) => f.kind === kind)!;

  it('ReportsACleanNodeClean', async () => {
    const { node } = await nodeWithJobs(20);
    const report = await check(node);
    expect(report.clean).toBe(true);
    expect(report.partial).toBe(false);
    expect(report.redis).toMatchObject({ examined: 20, total: 20 });
    expect(report.mysql).toMatchObject({ examined: 20, total: 20 });
    expect(report.findings.map((f) => [f.kind, f.count])).toEqual([
      ['stray', 0],
      ['unqueued', 0],
      ['duplicate', 0],
      ['marker', 0],
    ]);
    expect(report.markers.mismatch).toBeNull();
    expect(report.markers.redisGeneration).toBe(report.markers.mysqlGeneration);
  });

  it('ReportsEachPlantedFindingAndARebuildRepairsThemAll', async () => {
    const { node, ids } = await nodeWithJobs(10);
    const r = redis();
    const [unqueued, doubled] = [ids[0]!, ids[1]!];
    // A stray: an id with no job, due in a day (so the promoter leaves it where it is).
    await r.zadd(`${iso.prefix}waiting`, Date.now() + 86_400_000, '987654321');
    // A due job no queue holds.
    await r.zrem(`${iso.prefix}waiting`, unqueued);
    // An id held twice: waiting, and the active list of a node that does not exist.
    await r.rpush(`${iso.prefix}active:ghost-node-0001`, doubled);
    // The run_id MySQL remembers is another Redis's (the periodic quick check reads only the generation).
    await node.engine.context.pool.query("UPDATE meta SET v = 'feedface' WHERE k LIKE 'redis_run_id:%'");

    const report = await check(node);
    expect(report.clean).toBe(false);
    expect(found(report, 'stray')).toMatchObject({ count: 1, examples: [{ id: '987654321', status: null }] });
    expect(found(report, 'unqueued')).toMatchObject({
      count: 1,
      examples: [{ id: unqueued, where: [], status: 'waiting' }],
    });
    expect(found(report, 'duplicate')).toMatchObject({
      count: 1,
      examples: [{ id: doubled, where: ['waiting', 'active:ghost-node-0001'], status: 'waiting' }],
    });
    expect(found(report, 'marker').count).toBe(1);
    expect(report.markers.mismatch).toMatch(/run_id changed/);

    const repaired = await node.call('diagnostics.repair', { action: 'rebuild' });
    expect(repaired).toMatchObject({ action: 'rebuild', jobs: 10 });
    const after = await check(node);
    expect(after.findings.filter((f) => f.count > 0)).toEqual([]);
    expect(after.clean).toBe(true);
    expect(await r.zscore(`${iso.prefix}waiting`, unqueued)).not.toBeNull();
  });

  it('ReportsAChangedGenerationMarker', async () => {
    const { node } = await nodeWithJobs(3);
    // Stopped, so the periodic quick check does not rebuild before the check looks.
    node.engine.context.health.stop();
    await redis().set(`${iso.prefix}generation`, '424242');
    const report = await check(node);
    expect(found(report, 'marker').count).toBe(1);
    expect(report.markers).toMatchObject({ redisGeneration: '424242', mismatch: expect.stringMatching(/generation/) });
    await node.call('diagnostics.repair', { action: 'rebuild' });
    expect((await check(node)).clean).toBe(true);
  });

  it('SweepRepairReQueuesUnqueuedJobsHoweverFarAhead', async () => {
    const { node, ids } = await nodeWithJobs(5);
    const r = redis();
    await r.zrem(`${iso.prefix}waiting`, ids[2]!, ids[3]!);
    expect(found(await check(node), 'unqueued').count).toBe(2);
    const repaired = await node.call('diagnostics.repair', { action: 'sweep' });
    expect(repaired).toMatchObject({ action: 'sweep', jobs: 2 });
    expect((await check(node)).clean).toBe(true);
    const events = await node.call('events.list', { kind: 'sweep.requeued' });
    expect(events.items[0]?.data).toMatchObject({ jobs: 2 });
  });

  it('StopsAtItsIdCapAndSaysTheAnswerIsPartial', async () => {
    const { node } = await nodeWithJobs(3_000);
    const report = await check(node, { maxIds: 1_000 });
    expect(report.partial).toBe(true);
    expect(report.stoppedBy).toBe('id cap');
    expect(report.redis).toMatchObject({ examined: 1_000, total: 3_000 });
    expect(report.mysql.examined).toBe(1_000);
    expect(report.mysql.total).toBe(3_000);
    // What it could not read is not reported as missing: unread ids are looked up before they count.
    expect(report.clean).toBe(true);
    const full = await check(node);
    expect(full).toMatchObject({ partial: false, clean: true, redis: { examined: 3_000 } });
  });

  it('StopsAtItsTimeBudgetAndSaysSo', async () => {
    // 20,000 ids take about 0.4 s to compare here (100,000: 2 s); a 100 ms budget stops it early.
    const { node } = await nodeWithJobs(20_000);
    const started = Date.now();
    const report = await check(node, { budgetMs: 100 });
    expect(report).toMatchObject({ partial: true, stoppedBy: 'time budget', clean: true });
    expect(report.redis.examined).toBeLessThan(20_000);
    expect(report.redis.total).toBe(20_000);
    // The budget bounds the reading; what follows it (one COUNT, the second reads) is small.
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('RefusesLimitsOutsideTheirRangeNamingTheField', async () => {
    const { node } = await nodeWithJobs(1);
    await expect(check(node, { maxIds: 0 })).rejects.toThrow(/maxIds/);
    await expect(check(node, { budgetMs: 10 })).rejects.toThrow(/budgetMs/);
    await expect(node.call('diagnostics.repair', { action: 'flush' as 'sweep' })).rejects.toThrow(/action/);
  });
});

describe('events: the timeline filters and outage pairing', () => {
  const iso = isolated('test');
  let privateRedis: PrivateServer | null = null;

  afterEach(async () => {
    await privateRedis?.stop();
    privateRedis = null;
  });

  it('FiltersByLevelKindFamilyAndNodeKeysetPaged', async () => {
    const node = await iso.node();
    const record = node.engine.context.recordEvent;
    // A family of its own: the node's start already recorded redis.rebuilt (a fresh prefix).
    await record({ level: 'error', kind: 'probe.down', message: 'a' });
    await record({ level: 'info', kind: 'probe.up', message: 'b' });
    await record({ level: 'warn', kind: 'probe.rebuilt', message: 'c' });
    await record({ level: 'warn', kind: 'probe_x.requeued', message: 'd' });
    const kinds = async (input: Parameters<TestNode['call']>[1] & object): Promise<string[]> =>
      (await node.call('events.list', input as { limit?: number })).items.map((e) => e.kind);
    expect(await kinds({ kind: 'probe.*' })).toEqual(['probe.rebuilt', 'probe.up', 'probe.down']);
    expect(await kinds({ kind: 'probe.*', level: 'warn' })).toEqual(['probe.rebuilt', 'probe.down']);
    expect(await kinds({ kind: 'probe.*', level: 'error' })).toEqual(['probe.down']);
    expect(await kinds({ kind: 'probe_x.requeued' })).toEqual(['probe_x.requeued']);
    expect((await kinds({ level: 'error' })).every((k) => k === 'probe.down')).toBe(true);
    expect(await kinds({ nodeId: 'someone-else-0001' })).toEqual([]);
    expect((await kinds({ nodeId: node.engine.nodeId })).length).toBeGreaterThanOrEqual(5); // node.started too
    const first = await node.call('events.list', { kind: 'probe.*', limit: 2 });
    expect(first.nextCursor).not.toBeNull();
    const second = await node.call('events.list', { kind: 'probe.*', limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((e) => e.kind)).toEqual(['probe.down']);
    expect(second.nextCursor).toBeNull();
    await expect(node.call('events.list', { kind: 'redis%' })).rejects.toThrow(/kind/);
  });

  it('RecordsARedisOutageAsOneDownEventClosedByItsUpEvent', async () => {
    privateRedis = await startPrivateRedis();
    const node = await iso.node({ config: { redisUrl: privateRedis.url } });
    try {
      await outageRoundTrip(node);
    } finally {
      // Stopped while its Redis still runs (the afterEach hooks run in reverse order).
      await node.stop();
    }
  });

  async function outageRoundTrip(node: TestNode): Promise<void> {
    if (!privateRedis) throw new Error('no private Redis');
    const { port, dir } = privateRedis;
    await privateRedis.stop({ keepDir: true });
    const down = await waitFor(async () => (await node.call('events.list', { kind: 'redis.down' })).items[0], {
      what: 'redis.down event',
    });
    expect(down.level).toBe('error');
    await new Promise((r) => setTimeout(r, 500));
    privateRedis = await startPrivateRedis({ port, dir });
    const up = await waitFor(async () => (await node.call('events.list', { kind: 'redis.up' })).items[0], {
      what: 'redis.up event',
    });
    expect(up.data).toMatchObject({ downEventId: down.id, downAt: down.at });
    expect(up.data.durationMs).toBeGreaterThanOrEqual(500);
    expect(up.message).toMatch(/^Redis is back after \d+\.\d s$/);
    // The down event now carries its end, so a re-read timeline shows one closed outage.
    const closed = (await node.call('events.list', { kind: 'redis.down' })).items[0]!;
    expect(closed.data).toMatchObject({ upEventId: up.id, endedAt: up.at, durationMs: up.data.durationMs });
  }
});
