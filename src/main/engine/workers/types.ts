import type { AttemptOutcome, LogStream } from '../../../shared/types';

/** Why a running attempt was stopped from outside: a user's cancel or the node shutting down. */
export type StopReason = 'cancel' | 'shutdown';

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
}

export interface ExecutionResult {
  outcome: Exclude<AttemptOutcome, 'running'>;
  exitCode: number | null;
  signal: string | null;
  httpStatus: number | null;
  error: string | null;
  /** False when retrying cannot help (the task itself is invalid). */
  retryable: boolean;
}

export function stopOutcome(reason: unknown): ExecutionResult['outcome'] {
  return reason === 'shutdown' ? 'interrupted' : 'cancelled';
}
