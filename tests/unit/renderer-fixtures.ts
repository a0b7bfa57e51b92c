import type { TickrClient } from '../../src/renderer/src/api-client';
import { setApiSource } from '../../src/renderer/src/app/api-source';
import type { Health, Job, LogEntry } from '../../src/shared/types';

/** Shared by the renderer's unit tests: API-shaped values, and a fake API for the store's actions. */

export function job(id: string, overrides: Partial<Job> = {}): Job {
  return {
    id,
    taskId: '1',
    status: 'ready',
    attempt: 0,
    maxAttempts: 3,
    scheduledFor: '2025-01-01T00:00:00.000Z',
    dueAt: '2025-01-01T00:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    exitCode: null,
    error: null,
    nodeId: null,
    ...overrides,
  };
}

export function logEntry(seq: number, text = `line ${seq}`): LogEntry {
  return { seq, attempt: 1, stream: 'stdout', at: '2025-01-01T00:00:00.000Z', text };
}

export function health(redisStatus: Health['redis']['status'] = 'up'): Health {
  const since = '2025-01-01T00:00:00.000Z';
  return {
    redis: { status: redisStatus, latencyMs: 1, error: null, since, runId: 'run-1' },
    mysql: { status: 'up', latencyMs: 2, error: null, since, journalPending: 0 },
    node: { id: 'node-1', name: 'test-node', concurrency: 2, running: 0, draining: false },
  };
}

/** An API method that fails with `err`. */
export function failing(err: Error): () => Promise<never> {
  return async () => {
    throw err;
  };
}

/** Points the store's actions at `methods`; a method left out fails the call it is used in. */
export function installFakeApi(methods: Partial<TickrClient>): void {
  setApiSource(() => methods as TickrClient);
}
