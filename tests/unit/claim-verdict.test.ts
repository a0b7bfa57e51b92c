import { describe, expect, it } from 'vitest';
import {
  claimVerdict,
  makesNextOccurrence,
  needsOverlapCounts,
  needsTaskLock,
  NO_OVERLAP,
  type OverlapCounts,
} from '../../src/main/engine/dispatch/claim-verdict';
import { REASONS } from '../../src/main/engine/reasons';
import type { RowDataPacket } from 'mysql2';
import type { JobRow } from '../../src/main/engine/store/rows';
import type { TaskRecord } from '../../src/main/engine/store/tasks';
import type { Task } from '../../src/shared/types';

/**
 * The claim's verdict (invariant 3 plus the task's policies, docs/scheduling.md) without MySQL:
 * the row as locked, the task as read under its lock, and the counts of its other jobs.
 */
const NOW = new Date('2026-06-01T12:00:00.000Z');
const NODE = 'node-a';
const MINUTE = 60_000;

/** A job row's own columns (RowDataPacket's members are the driver's, not the row's). */
type JobFields = Partial<Omit<JobRow, keyof RowDataPacket>>;

function row(overrides: JobFields = {}): JobRow {
  return {
    id: '7',
    task_id: '1',
    status: 'ready',
    attempt: 0,
    max_attempts: 3,
    scheduled_for: NOW,
    occurrence_at: null,
    due_at: NOW,
    started_at: null,
    finished_at: null,
    exit_code: null,
    error: null,
    node_id: null,
    pinned_node_id: null,
    claim_token: null,
    lease_until: null,
    cancel_requested: 0,
    ...overrides,
  } as JobRow;
}

function task(overrides: Partial<Task> = {}): TaskRecord {
  const t: Task = {
    id: '1',
    name: 'every minute',
    type: 'shell',
    command: 'true',
    cwd: null,
    env: {},
    http: null,
    schedule: { type: 'interval', everyMs: MINUTE },
    maxAttempts: 3,
    retryDelayMs: 1_000,
    timeoutMs: 60_000,
    overlap: 'skip',
    catchUp: 'skip',
    target: 'any',
    nodeId: null,
    enabled: true,
    nextRunAt: null,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    deletedAt: null,
    ...overrides,
  };
  return {
    task: t,
    env: {},
    http: null,
    anchorAt: new Date(NOW.getTime() - 60 * MINUTE),
    lastOccurrenceAt: null,
    timezone: null,
  };
}

const running: OverlapCounts = { running: 1, ahead: false };
const queuedAhead: OverlapCounts = { running: 0, ahead: true };
const both: OverlapCounts = { running: 1, ahead: true };
/** An occurrence due now, as the schedule made it. */
const occurrence = (overrides: JobFields = {}): JobRow =>
  row({ occurrence_at: NOW, scheduled_for: NOW, due_at: NOW, ...overrides });

describe('claim verdict: none (someone else has it, or it is not this node’s to run now)', () => {
  it('is none for a missing row, a running or finished job, a job not due yet, and a job pinned elsewhere', () => {
    const t = task();
    expect(claimVerdict(null, t, NO_OVERLAP, NOW, NODE)).toEqual({ kind: 'none' });
    for (const status of ['running', 'succeeded', 'failed', 'cancelled', 'skipped'] as const) {
      expect(claimVerdict(row({ status }), t, NO_OVERLAP, NOW, NODE)).toEqual({ kind: 'none' });
    }
    expect(claimVerdict(row({ due_at: new Date(NOW.getTime() + 1) }), t, NO_OVERLAP, NOW, NODE)).toEqual({
      kind: 'none',
    });
    expect(claimVerdict(row({ pinned_node_id: 'node-b' }), t, NO_OVERLAP, NOW, NODE)).toEqual({ kind: 'none' });
  });

  it('runs a job pinned to this node, and a waiting job that is due', () => {
    expect(claimVerdict(row({ pinned_node_id: NODE }), task(), NO_OVERLAP, NOW, NODE)).toEqual({ kind: 'run' });
    expect(claimVerdict(row({ status: 'waiting' }), task(), NO_OVERLAP, NOW, NODE)).toEqual({ kind: 'run' });
  });
});

describe('claim verdict: cancel', () => {
  it('cancels every job of a deleted task, retries and manual runs included', () => {
    const deleted = task({ deletedAt: NOW.toISOString() });
    for (const r of [row(), row({ attempt: 1 }), occurrence()]) {
      expect(claimVerdict(r, deleted, NO_OVERLAP, NOW, NODE)).toEqual({ kind: 'cancel', reason: REASONS.deleted });
    }
  });

  it('cancels a paused task’s occurrences and their retries, but runs its manual runs', () => {
    const paused = task({ enabled: false });
    expect(claimVerdict(occurrence(), paused, NO_OVERLAP, NOW, NODE)).toEqual({
      kind: 'cancel',
      reason: REASONS.paused,
    });
    expect(claimVerdict(occurrence({ attempt: 1 }), paused, NO_OVERLAP, NOW, NODE)).toEqual({
      kind: 'cancel',
      reason: REASONS.paused,
    });
    expect(claimVerdict(row(), paused, NO_OVERLAP, NOW, NODE)).toEqual({ kind: 'run' });
  });
});

describe('claim verdict: skip for a missed window (catch-up skip)', () => {
  const late = occurrence({
    occurrence_at: new Date(NOW.getTime() - 2 * MINUTE),
    due_at: new Date(NOW.getTime() - 2 * MINUTE),
  });

  it('skips an occurrence claimed after its window (the next occurrence came), with the missed reason', () => {
    expect(claimVerdict(late, task(), NO_OVERLAP, NOW, NODE)).toEqual({ kind: 'skip', reason: REASONS.missed });
  });

  it('runs the same late occurrence under catch-up once or all, and runs a retry of it', () => {
    expect(claimVerdict(late, task({ catchUp: 'once' }), NO_OVERLAP, NOW, NODE)).toEqual({ kind: 'run' });
    expect(claimVerdict(late, task({ catchUp: 'all' }), NO_OVERLAP, NOW, NODE)).toEqual({ kind: 'run' });
    expect(claimVerdict({ ...late, attempt: 1 } as JobRow, task(), NO_OVERLAP, NOW, NODE)).toEqual({ kind: 'run' });
  });

  it('runs an occurrence still inside its window', () => {
    const recent = occurrence({
      occurrence_at: new Date(NOW.getTime() - 10_000),
      due_at: new Date(NOW.getTime() - 10_000),
    });
    expect(claimVerdict(recent, task(), NO_OVERLAP, NOW, NODE)).toEqual({ kind: 'run' });
  });

  it('does not read the overlap counts for an occurrence it will skip as missed', () => {
    expect(needsOverlapCounts(late, task(), NOW)).toBe(false);
    expect(needsOverlapCounts(occurrence(), task(), NOW)).toBe(true);
  });
});

describe('claim verdict: overlap', () => {
  it('skip: a run while the previous one runs is skipped; with nothing running it runs', () => {
    expect(claimVerdict(occurrence(), task(), running, NOW, NODE)).toEqual({ kind: 'skip', reason: REASONS.overlap });
    expect(claimVerdict(occurrence(), task(), NO_OVERLAP, NOW, NODE)).toEqual({ kind: 'run' });
  });

  it('queue: the first run behind a running one queues; one more is skipped as the queue is full', () => {
    const q = task({ overlap: 'queue' });
    expect(claimVerdict(occurrence(), q, running, NOW, NODE)).toEqual({ kind: 'queue' });
    expect(claimVerdict(occurrence(), q, both, NOW, NODE)).toEqual({ kind: 'skip', reason: REASONS.overlapFull });
  });

  it('a run behind queued runs with nothing running is skipped as "still queued"', () => {
    expect(claimVerdict(occurrence(), task(), queuedAhead, NOW, NODE)).toEqual({
      kind: 'skip',
      reason: REASONS.overlapQueued,
    });
  });

  it('a queued run keeps its place: it queues again while others are ahead or running, and runs when free', () => {
    const q = task({ overlap: 'queue' });
    const queued = occurrence({ error: REASONS.queued });
    expect(claimVerdict(queued, q, running, NOW, NODE)).toEqual({ kind: 'queue' });
    expect(claimVerdict(queued, q, queuedAhead, NOW, NODE)).toEqual({ kind: 'queue' });
    expect(claimVerdict(queued, q, NO_OVERLAP, NOW, NODE)).toEqual({ kind: 'run' });
  });

  it('a catch-up run (due after its occurrence) always queues behind another, whatever the policy', () => {
    const catchUp = occurrence({ occurrence_at: new Date(NOW.getTime() - 5 * MINUTE), due_at: NOW });
    expect(claimVerdict(catchUp, task({ catchUp: 'all' }), running, NOW, NODE)).toEqual({ kind: 'queue' });
  });

  it('allow: nothing limits the runs; retries are never held back by overlap', () => {
    expect(claimVerdict(occurrence(), task({ overlap: 'allow' }), both, NOW, NODE)).toEqual({ kind: 'run' });
    expect(claimVerdict(occurrence({ attempt: 2 }), task(), both, NOW, NODE)).toEqual({ kind: 'run' });
  });

  it('a manual run of a task limited by overlap is limited too', () => {
    expect(claimVerdict(row(), task(), running, NOW, NODE)).toEqual({ kind: 'skip', reason: REASONS.overlap });
  });

  it('a job whose task row is gone runs (and fails there with the reason)', () => {
    expect(claimVerdict(row(), null, both, NOW, NODE)).toEqual({ kind: 'run' });
  });
});

describe('claim: the task lock and the next occurrence', () => {
  it('locks the task for first attempts of occurrences and of overlap-limited runs only', () => {
    expect(needsTaskLock(0, NOW, { overlap: 'allow' })).toBe(true);
    expect(needsTaskLock(0, null, { overlap: 'skip' })).toBe(true);
    expect(needsTaskLock(0, null, { overlap: 'allow' })).toBe(false);
    expect(needsTaskLock(1, NOW, { overlap: 'skip' })).toBe(false);
  });

  it('makes the next occurrence on the first dispatch of an enabled task’s occurrence only', () => {
    expect(makesNextOccurrence(occurrence(), task())).toBe(true);
    expect(makesNextOccurrence(occurrence({ attempt: 1 }), task())).toBe(false);
    expect(makesNextOccurrence(occurrence({ error: REASONS.queued }), task())).toBe(false);
    expect(makesNextOccurrence(row(), task())).toBe(false);
    expect(makesNextOccurrence(occurrence(), task({ enabled: false }))).toBe(false);
    expect(makesNextOccurrence(occurrence(), null)).toBe(false);
  });
});
