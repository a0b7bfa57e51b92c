import { describe, expect, it } from 'vitest';
import { historyFor, LatencyHistory } from '../../src/main/engine/health/latency-history';
import { parseInfo, persistenceOf, redisInfoFrom } from '../../src/main/engine/health/server-info';

describe('the latency history ring', () => {
  it('returns the samples of the window, oldest first, failed probes as null', () => {
    const h = new LatencyHistory(10, 60_000);
    h.add(1_000, 1.5);
    h.add(2_000, null);
    h.add(3_000, 2);
    expect(h.samples(10_000)).toEqual([
      { at: new Date(1_000).toISOString(), latencyMs: 1.5 },
      { at: new Date(2_000).toISOString(), latencyMs: null },
      { at: new Date(3_000).toISOString(), latencyMs: 2 },
    ]);
  });

  it('drops samples older than the window', () => {
    const h = new LatencyHistory(10, 5_000);
    for (let t = 0; t <= 10_000; t += 1_000) h.add(t, t / 1_000);
    expect(h.samples(10_000).map((s) => s.latencyMs)).toEqual([5, 6, 7, 8, 9, 10]);
  });

  it('overwrites the oldest slot when full, keeping memory fixed', () => {
    const h = new LatencyHistory(3, 1_000_000);
    for (let i = 1; i <= 7; i++) h.add(i * 1_000, i);
    expect(h.samples(100_000).map((s) => s.latencyMs)).toEqual([5, 6, 7]);
  });

  it('holds a full 15 minutes of probes at the probe period', () => {
    const h = historyFor(1_250);
    const start = 1_000_000;
    for (let t = 0; t <= 15 * 60_000; t += 1_250) h.add(start + t, 1);
    const samples = h.samples(start + 15 * 60_000);
    expect(samples).toHaveLength(721);
    expect(samples[0]!.at).toBe(new Date(start).toISOString());
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new LatencyHistory(0)).toThrow(RangeError);
  });
});

describe('Redis server facts from INFO', () => {
  const info = [
    '# Server',
    'redis_version:7.2.4',
    'run_id:abc',
    '',
    '# Memory',
    'used_memory:1048576',
    'maxmemory:0',
    'maxmemory_policy:allkeys-lru',
    '# Persistence',
    'aof_enabled:1',
  ].join('\r\n');

  it('reads version, memory and policy; maxmemory 0 is no limit', () => {
    expect(parseInfo(info).get('run_id')).toBe('abc');
    const facts = redisInfoFrom(info, '3600 1 300 100', new Date(0));
    expect(facts).toEqual({
      version: '7.2.4',
      usedMemoryBytes: 1_048_576,
      maxmemoryBytes: null,
      maxmemoryPolicy: 'allkeys-lru',
      persistence: 'rdb+aof',
      readAt: new Date(0).toISOString(),
    });
    expect(redisInfoFrom(info.replace('maxmemory:0', 'maxmemory:2000'), '', new Date(0)).maxmemoryBytes).toBe(2000);
  });

  it('names the persistence from the save rules and aof_enabled', () => {
    expect(persistenceOf('0', '')).toBe('none');
    expect(persistenceOf('0', '900 1')).toBe('rdb');
    expect(persistenceOf('1', '')).toBe('aof');
    expect(persistenceOf('1', null)).toBe('aof');
    expect(persistenceOf('0', null)).toBe('unknown');
  });
});
