import type { Pool } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/main/engine/events/event-bus';
import { OutageRecorder, outageLength } from '../../src/main/engine/events/system-events';
import type { SystemEvent } from '../../src/shared/types';

interface Row {
  id: number;
  at: Date;
  kind: string;
  level: string;
  data: Record<string, unknown>;
}

/** The statements the recorder sends (INSERT an event, read and UPDATE its data), on an array; `down` refuses all. */
function fakePool() {
  const rows: Row[] = [];
  const state = { down: false };
  const refuse = (): void => {
    if (state.down) throw new Error('connect ECONNREFUSED');
  };
  const pool = {
    async execute(sql: string, args: unknown[]) {
      refuse();
      if (sql.startsWith('INSERT')) {
        const [at, level, kind, , , data] = args as [Date, string, string, string, string, string];
        rows.push({ id: rows.length + 1, at, level, kind, data: JSON.parse(data) as Record<string, unknown> });
        return [{ insertId: rows.length }];
      }
      const [data, id] = args as [string, string];
      rows[Number(id) - 1]!.data = JSON.parse(data) as Record<string, unknown>;
      return [{}];
    },
    async query(_sql: string, [id]: [string]) {
      refuse();
      return [[{ data_json: JSON.stringify(rows[Number(id) - 1]?.data ?? {}) }]];
    },
  };
  // The up event and the down event's end are written in one transaction: a connection of the
  // same array, whose begin and commit refuse too while `down`.
  const withConnection = Object.assign(pool, {
    async getConnection() {
      refuse();
      return {
        execute: pool.execute,
        query: pool.query,
        beginTransaction: async () => refuse(),
        commit: async () => refuse(),
        rollback: async () => undefined,
        release: () => undefined,
      };
    },
  });
  return { pool: withConnection as unknown as Pool, rows, state };
}

function recorder(clock: { ms: number }) {
  const { pool, rows, state } = fakePool();
  const bus = new EventBus();
  const announced: SystemEvent[] = [];
  bus.subscribe((m) => {
    if (m.event === 'event.appended') announced.push(m.data as SystemEvent);
  });
  const warnings: string[] = [];
  const rec = new OutageRecorder(pool, bus, 'node-1', { warn: (m) => warnings.push(m) }, () => new Date(clock.ms));
  return { rec, rows, state, announced, warnings };
}

describe('OutageRecorder: outages paired in the engine', () => {
  it('RecordsARedisOutageAtOnceAndClosesItOnReturn', async () => {
    const clock = { ms: Date.UTC(2026, 0, 1, 12) };
    const { rec, rows, announced } = recorder(clock);
    await rec.changed('redis', 'up');
    await rec.changed('redis', 'down', 'connection closed');
    expect(rows.map((r) => r.kind)).toEqual(['redis.down']);
    clock.ms += 1_000;
    await rec.changed('redis', 'recovering');
    clock.ms += 3_200;
    await rec.changed('redis', 'up');
    expect(rows.map((r) => r.kind)).toEqual(['redis.down', 'redis.up']);
    expect(rows[1]!.data).toEqual({
      service: 'redis',
      downEventId: '1',
      downAt: '2026-01-01T12:00:00.000Z',
      durationMs: 4_200,
    });
    expect(rows[0]!.data).toMatchObject({ endedAt: '2026-01-01T12:00:04.200Z', durationMs: 4_200, upEventId: '2' });
    expect(announced.map((e) => `${e.kind}:${e.message}`)).toEqual([
      'redis.down:Redis is down: connection closed',
      'redis.up:Redis is back after 4.2 s',
    ]);
  });

  it('DoesNotCallTheFirstConnectAnOutage', async () => {
    const { rec, rows } = recorder({ ms: 0 });
    await rec.changed('redis', 'recovering');
    await rec.changed('redis', 'up');
    expect(rows).toEqual([]);
  });

  it('WritesAMysqlOutageWhenMysqlReturnsAtTheTimeItBegan', async () => {
    const clock = { ms: Date.UTC(2026, 0, 1, 12) };
    const { rec, rows, state, announced } = recorder(clock);
    await rec.changed('mysql', 'up');
    state.down = true;
    await rec.changed('mysql', 'down', 'ECONNREFUSED');
    clock.ms += 90_000;
    // The first "up" that MySQL refuses again leaves the outage open, not lost.
    await rec.changed('mysql', 'up');
    expect(rows).toEqual([]);
    state.down = false;
    await rec.changed('mysql', 'down');
    clock.ms += 30_000;
    await rec.changed('mysql', 'up');
    expect(rows.map((r) => [r.kind, r.at.toISOString()])).toEqual([
      ['mysql.down', '2026-01-01T12:00:00.000Z'],
      ['mysql.up', '2026-01-01T12:02:00.000Z'],
    ]);
    expect(rows[1]!.data).toMatchObject({ downEventId: '1', durationMs: 120_000 });
    expect(announced.map((e) => e.message)).toEqual(['MySQL is down: ECONNREFUSED', 'MySQL is back after 2 min']);
  });

  it('SaysAnOutagesLengthInSecondsThenMinutes', () => {
    expect(outageLength(4_200)).toBe('4.2 s');
    expect(outageLength(60_000)).toBe('1 min');
    expect(outageLength(185_000)).toBe('3 min 5 s');
  });
});
