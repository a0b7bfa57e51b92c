/** One job's pid file in `<data dir>/running`, as a restarted node reads it. */
export interface LeftoverEntry {
  jobId: string;
  /** The job's first process: on POSIX also the id of its process group. */
  pid: number;
  /** When the node spawned it (ms since the epoch); null in a file from before this was recorded. */
  startedAt: number | null;
}

/** Runs a command and returns its standard output; throws when it cannot run or fails. */
export type CommandRunner = (file: string, args: string[]) => string;

/**
 * How far a process's start time, as the OS reports it, may lie from the time the node wrote
 * down at spawn: `ps` gives whole seconds, and the spawn and the write are a few ms apart.
 */
export const START_TOLERANCE_MS = 2_000;
