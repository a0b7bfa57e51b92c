import type { RetentionCounts, RetentionPolicy } from '../../../shared/types';
import type { EngineConfig } from '../config';

const DAY_MS = 86_400_000;

export type RetentionConfig = Pick<
  EngineConfig,
  | 'retentionKeepDays'
  | 'retentionMaxJobsPerTask'
  | 'retentionSucceededLogDays'
  | 'retentionEventDays'
  | 'retentionIntervalMs'
  | 'retentionStartDelayMs'
  | 'retentionBatchSize'
  | 'retentionPauseMs'
>;

/** The policy a node starts with: its configuration's (defaults, config.json, environment). */
export function policyFromConfig(config: RetentionConfig): RetentionPolicy {
  return {
    keepDays: config.retentionKeepDays,
    maxJobsPerTask: config.retentionMaxJobsPerTask,
    succeededLogDays: config.retentionSucceededLogDays,
    eventDays: config.retentionEventDays,
  };
}

/** The instants a run prunes before, all taken from one `now` so the passes agree. */
export interface Cutoffs {
  /** Finished jobs that finished before this go. */
  jobsBefore: Date;
  /** Logs of succeeded jobs that finished before this go. */
  succeededLogsBefore: Date;
  /** System events before this go. */
  eventsBefore: Date;
}

export function cutoffs(policy: RetentionPolicy, now: Date): Cutoffs {
  const ago = (days: number): Date => new Date(now.getTime() - days * DAY_MS);
  return {
    jobsBefore: ago(policy.keepDays),
    succeededLogsBefore: ago(policy.succeededLogDays),
    eventsBefore: ago(policy.eventDays),
  };
}

export const NO_COUNTS: RetentionCounts = { jobs: 0, attempts: 0, logChunks: 0, events: 0 };

export function addCounts(a: RetentionCounts, b: Partial<RetentionCounts>): RetentionCounts {
  return {
    jobs: a.jobs + (b.jobs ?? 0),
    attempts: a.attempts + (b.attempts ?? 0),
    logChunks: a.logChunks + (b.logChunks ?? 0),
    events: a.events + (b.events ?? 0),
  };
}
