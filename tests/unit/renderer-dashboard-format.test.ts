import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatLatency,
  formatSpan,
  groupByMinute,
  latencyRange,
  memoryShare,
} from '../../src/renderer/src/views/Dashboard/format';

describe('dashboard formatting', () => {
  it('formats bytes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MB');
  });

  it('formats spans in their two largest units', () => {
    expect(formatSpan(45_000)).toBe('45 s');
    expect(formatSpan(200_000)).toBe('3 min 20 s');
    expect(formatSpan(2 * 3_600_000 + 5 * 60_000)).toBe('2 h 5 min');
    expect(formatSpan(76 * 3_600_000)).toBe('3 d 4 h');
    expect(formatSpan(-5)).toBe('0 s');
  });

  it('formats latencies', () => {
    expect(formatLatency(0.42)).toBe('0.4 ms');
    expect(formatLatency(12.4)).toBe('12 ms');
    expect(formatLatency(1_234)).toBe('1.2 s');
  });

  it('gives memory as a share of maxmemory, none without a limit', () => {
    expect(memoryShare(50, 200)).toBe(0.25);
    expect(memoryShare(50, null)).toBeNull();
    expect(memoryShare(500, 200)).toBe(1);
  });

  it('finds the range of measured latencies, skipping failed probes', () => {
    expect(latencyRange([null, 3, 1, null, 2])).toEqual({ min: 1, max: 3 });
    expect(latencyRange([null])).toBeNull();
  });
});

describe('grouping upcoming runs by minute', () => {
  const run = (taskId: string, at: string) => ({ taskId, taskName: `t${taskId}`, at });

  it('marks a minute where different tasks start as a clash', () => {
    const groups = groupByMinute([
      run('1', '2026-03-10T12:00:00.000Z'),
      run('2', '2026-03-10T12:00:30.000Z'),
      run('1', '2026-03-10T12:01:00.000Z'),
    ]);
    expect(groups.map((g) => [new Date(g.minute).toISOString(), g.runs.length, g.clash])).toEqual([
      ['2026-03-10T12:00:00.000Z', 2, true],
      ['2026-03-10T12:01:00.000Z', 1, false],
    ]);
  });

  it('does not call two runs of the same task in one minute a clash', () => {
    const groups = groupByMinute([run('1', '2026-03-10T12:00:00.000Z'), run('1', '2026-03-10T12:00:30.000Z')]);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.clash).toBe(false);
  });
});
