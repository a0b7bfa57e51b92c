import { REASONS } from '../../reasons';
import type { SpawnProcess } from './spawner/spawned-process';
import type { AttemptOutcome, HttpExchange, LogStream } from '../../../../shared/types';

/**
 * Why a running attempt is ended from outside: a user's cancel, the node's shutdown, or the node
 * fencing itself off (it lost MySQL while other nodes still reach it; see fencing.ts).
 */
export type StopReason = 'cancel' | 'shutdown' | 'fenced';

export interface LogWriter {
  write(stream: Exclude<LogStream, 'system'>, data: Buffer): void;
  system(text: string): void;
}

export interface ExecutionContext {
  timeoutMs: number;
  killGraceMs: number;
  log: LogWriter;
  /** Aborted with a StopReason as its reason. */
  stop: AbortSignal;
  /** Told the pid of a spawned process group, so a restarted node can end what a crash left. */
  onSpawn?: (pid: number) => void;
  /** Forks a shell task's process; in this process when not given (spawner/). */
  spawn?: SpawnProcess;
}

export interface ExecutionResult {
  outcome: Exclude<AttemptOutcome, 'running'>;
  exitCode: number | null;
  signal: string | null;
  httpStatus: number | null;
  error: string | null;
  /** False when retrying cannot help (the task itself is invalid). */
  retryable: boolean;
  /** An http attempt's request and response, for the job page (redacted by the runner). */
  exchange?: HttpExchange;
}

export function stopReason(reason: unknown): StopReason {
  return reason === 'shutdown' || reason === 'fenced' ? reason : 'cancel';
}

/** A cancel ends the job; the others interrupt the attempt, which is retried under its policy. */
export function stopOutcome(reason: unknown): ExecutionResult['outcome'] {
  return stopReason(reason) === 'cancel' ? 'cancelled' : 'interrupted';
}

/** The attempt's error for each stop reason. */
export function stopError(reason: unknown): string {
  const why = stopReason(reason);
  if (why === 'cancel') return REASONS.stopCancel;
  if (why === 'shutdown') return REASONS.stopShutdown;
  return REASONS.stopFenced;
}

/** The log line when a running attempt's process group is ended. */
export function stopLogLine(reason: unknown): string {
  const why = stopReason(reason);
  if (why === 'cancel') return 'cancelled: ending the process group';
  if (why === 'shutdown') return 'node shutting down: ending the process group';
  return (
    'this node lost MySQL while other nodes still reach it: ending the process group before its lease runs out, ' +
    'so that a retry elsewhere never runs beside it'
  );
}
