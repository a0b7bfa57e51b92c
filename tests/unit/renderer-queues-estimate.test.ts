import { describe, expect, it } from 'vitest';
import { coalesced as coalesce } from '../../src/shared/coalesced';
import {
  expectedDuration,
  median,
  readyEtas,
  remainingMs,
  workersOf,
  type Durations,
} from '../../src/renderer/src/views/Queues/estimate';
import { countdown, etaText, formatDuration, remainingText } from '../../src/renderer/src/views/Queues/format';
import type { NodeQueues, TaskDurationStats } from '../../src/shared/types';

/** The Queues view's estimates (views/Queues/estimate.ts), its time wording and its refresh coalescing. */

function stats(taskId: string, medianMs: number | null): TaskDurationStats {
  return { taskId, count: medianMs === null ? 0 : 10, medianMs, p95Ms: medianMs };
}

function durations(...items: TaskDurationStats[]): Durations {
  return Object.fromEntries(items.map((d) => [d.taskId, d]));
}

const NOW = Date.parse('2026-01-01T12:00:00.000Z');

function node(id: string, concurrency: number | null, running: { taskId: string; startedAt: number }[], alive = true) {
  return {
    nodeId: id,
    name: id,
    concurrency,
    alive,
    running: {
      count: running.length,
      entries: running.map((r, i) => ({
        id: `${id}-${i}`,
        taskId: r.taskId,
        taskName: null,
        attempt: 1,
        maxAttempts: 3,
        startedAt: new Date(r.startedAt).toISOString(),
      })),
    },
    pinned: { waiting: { count: 0, next: [] }, ready: { count: 0, entries: [] } },
  } satisfies NodeQueues;
}

describe('median and expected duration', () => {
  it('takes the middle value, or the mean of the middle pair', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('uses the task’s own median, else the typical median of the known tasks, else nothing', () => {
    const known = durations(stats('1', 1_000), stats('2', 3_000), stats('3', 10_000), stats('4', null));
    expect(expectedDuration('2', known)).toBe(3_000);
    // Task 4 has no finished job yet, task 9 no statistics at all: both are taken to be typical.
    expect(expectedDuration('4', known)).toBe(3_000);
    expect(expectedDuration('9', known)).toBe(3_000);
    expect(expectedDuration(null, known)).toBe(3_000);
    expect(expectedDuration('1', {})).toBeNull();
  });

  it('gives a running job its median minus the time it has run, negative once it overruns', () => {
    expect(remainingMs(NOW - 4_000, 10_000, NOW)).toBe(6_000);
    expect(remainingMs(NOW - 12_000, 10_000, NOW)).toBe(-2_000);
    expect(remainingMs(null, 10_000, NOW)).toBeNull();
    expect(remainingMs(NOW, null, NOW)).toBeNull();
  });
});

describe('workers', () => {
  it('counts the slots of alive nodes and how long each busy one stays busy (0 when overdue)', () => {
    const d = durations(stats('1', 10_000));
    const w = workersOf(
      [
        node('a', 2, [{ taskId: '1', startedAt: NOW - 3_000 }]),
        node('b', 1, [{ taskId: '1', startedAt: NOW - 60_000 }]),
        node('gone', 8, [{ taskId: '1', startedAt: NOW }], false),
      ],
      d,
      NOW,
    );
    expect(w).toEqual({ slots: 3, busyForMs: [7_000, 0] });
  });
});

describe('readyEtas', () => {
  const d = durations(stats('fast', 1_000), stats('slow', 10_000));

  it('with idle workers, the first jobs start now and the next when a worker frees', () => {
    const etas = readyEtas(['fast', 'fast', 'fast', 'slow', 'fast'], { slots: 2, busyForMs: [] }, d);
    // Each job takes the worker free first: A fast 0–1 s, B fast 0–1 s, A fast 1–2 s, B slow 1–11 s, A fast 2–3 s.
    expect(etas).toEqual([0, 0, 1_000, 1_000, 2_000]);
  });

  it('waits for busy workers to finish first', () => {
    expect(readyEtas(['fast', 'fast'], { slots: 1, busyForMs: [4_000] }, d)).toEqual([4_000, 5_000]);
    expect(readyEtas(['slow', 'fast', 'fast'], { slots: 2, busyForMs: [500, 3_000] }, d)).toEqual([500, 3_000, 4_000]);
  });

  it('stops estimating behind a duration nobody knows, and without any worker', () => {
    const unknownBusy = readyEtas(['fast', 'fast'], { slots: 1, busyForMs: [null] }, d);
    expect(unknownBusy).toEqual([null, null]);
    const nothingKnown = readyEtas(['x', 'y'], { slots: 1, busyForMs: [] }, {});
    expect(nothingKnown).toEqual([0, null]);
    expect(readyEtas(['fast'], { slots: 0, busyForMs: [] }, d)).toEqual([null]);
  });
});

describe('time wording', () => {
  it.each([
    [850, '0.9 s'],
    [9_940, '9.9 s'],
    [12_300, '12 s'],
    [60_000, '1 min'],
    [75_000, '1 min 15 s'],
    [3_720_000, '1 h 2 min'],
    [7_200_000, '2 h'],
    [5 * 86_400_000, '5 d'],
  ])('%i ms is "%s"', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('says countdowns, ETAs and time left in words', () => {
    expect(countdown(NOW + 12_000, NOW)).toBe('in 12 s');
    expect(countdown(NOW - 1, NOW)).toBe('due now');
    expect(countdown(NOW + 30, NOW)).toBe('due now');
    expect(countdown(NOW + 60, NOW)).toBe('in 0.1 s');
    expect(etaText(0)).toBe('next');
    expect(etaText(65_000)).toBe('in ~1 min 5 s');
    expect(etaText(null)).toBeNull();
    expect(remainingText(3_000)).toBe('~3.0 s left');
    expect(remainingText(-20_000)).toBe('20 s over its median');
  });
});

describe('coalesced, as the lanes refresh', () => {
  it('runs at most one at a time, and once more after a burst of calls made meanwhile', async () => {
    let runs = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    let release: () => void = () => undefined;
    const refresh = coalesce(async () => {
      runs++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise<void>((resolve) => (release = resolve));
      inFlight--;
    });

    const first = refresh();
    const burst = Array.from({ length: 100 }, () => refresh());
    expect(runs).toBe(1);
    release();
    await until(() => runs === 2);
    release();
    await Promise.all([first, ...burst]);

    expect(runs).toBe(2);
    expect(maxInFlight).toBe(1);
    // Idle again: the next call starts a run of its own.
    const later = refresh();
    expect(runs).toBe(3);
    release();
    await later;
  });
});

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 0));
  expect(done()).toBe(true);
}
