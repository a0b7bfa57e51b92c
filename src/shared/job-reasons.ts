/**
 * Every reason the engine writes on a job (its `error` column), in one table: docs/scheduling.md
 * quotes them, the job page explains them (views/JobDetail/reason-words.ts), and a few are read
 * back (`queued`). A reason that names a node is a function of it. Shared, as the renderer
 * matches them; src/main/engine/reasons.ts is the engine's name for this table.
 */
/** The start of every `leaseExpired` reason, whatever node it names. */
export const LEASE_EXPIRED_PREFIX = 'interrupted: node ';

export const REASONS = {
  /** Overlap `skip` (or `queue` with nothing queued yet is not this): the previous run goes on. */
  overlap: 'previous run still running',
  overlapQueued: 'previous runs still queued',
  overlapFull: 'previous run still running (another run is already queued)',
  /**
   * The `error` of a job that waits for the previous run of its task (overlap `queue`, or a
   * catch-up run behind another). It tells a person why the job waits and lets the engine find
   * the queued job without a schema change. A job that has never run has no other error.
   */
  queued: 'queued: waiting for the previous run of the task to finish',
  missed: 'missed: not started within its window (node down, asleep or disconnected; catch-up: skip)',
  missedPaused: 'missed: the task was paused (catch-up: skip)',
  /** A paused task's occurrence reached the claim. */
  paused: 'cancelled: the task is paused',
  /** The pending jobs of a task being paused. */
  pausing: 'cancelled: the task was paused',
  deleted: 'cancelled: the task was deleted',
  replaced: 'replaced: the task was updated',
  cancelledByUser: 'cancelled by a user',
  /** A running attempt's stop reasons (execution/workers/types.ts). */
  stopCancel: 'cancelled',
  stopShutdown: 'interrupted by shutdown',
  stopFenced:
    'interrupted: this node lost MySQL while other nodes still reach it, and ended the attempt before its lease ran out',
  /** MySQL refused an attempt's result itself (not an outage); the job is ended rather than left running. */
  resultRefused: 'failed: the result could not be recorded',
  orphaned: 'interrupted: the node stopped while the job ran (found at restart)',
  leaseExpired: (nodeId: string) => `${LEASE_EXPIRED_PREFIX}${nodeId} stopped renewing its lease`,
} as const;
