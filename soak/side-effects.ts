import { existsSync, readFileSync } from 'node:fs';

/**
 * Every shell task's command is wrapped so that its run leaves lines in one file (appends of a
 * short line are atomic with O_APPEND): `S <job> <attempt> <parent pid> <ms> <grandparent pid>`
 * when it starts and `E …` when its work completed. The node is named by its pid: a job's shell
 * is the child of the node's job spawner, itself the node's child (an engine that forks in its
 * own process, as in Electron, is the shell's parent), so the soak maps either pid to a node
 * across restarts. /proc gives the grandparent with shell builtins alone. The marker line on
 * stdout lets the checks find each attempt's captured log in MySQL.
 */
export function wrapCommand(file: string, body: string): string {
  const line = (tag: string): string =>
    `echo "${tag} $TICKR_JOB_ID $TICKR_ATTEMPT $PPID $(date +%s%3N) $soak_gp" >> ${file}`;
  // X: when the shell exited, however (done, failed, or stopped by the node's SIGTERM to the
  // job's group at a timeout, cancel, drain, fence or a restart's orphan clean-up). No X: SIGKILL.
  return (
    `soak_gp=0; read -r soak_stat < /proc/$PPID/stat && set -- $soak_stat && soak_gp=$4; ` +
    `trap '${line('X')}' EXIT; trap 'exit 143' TERM; ${line('S')}; ` +
    `echo "soak-log $TICKR_JOB_ID $TICKR_ATTEMPT"; { ${body}; } || exit $?; ${line('E')}`
  );
}

export interface Run {
  jobId: string;
  attempt: number;
  pid: number;
  /** The parent's parent: the node, when the parent is its job spawner. */
  grandPid: number;
  startMs: number;
  /** When its work completed; null if it failed, timed out, was cancelled or killed first. */
  endMs: number | null;
  /** When its shell exited, for whatever reason; null if it was SIGKILLed. */
  exitMs: number | null;
  /** How many S lines this (job, attempt) wrote: more than one is one attempt run twice. */
  starts: number;
}

/** The runs of the side-effect file, keyed `<job>/<attempt>`. */
export function readRuns(file: string): Map<string, Run> {
  const runs = new Map<string, Run>();
  if (!existsSync(file)) return runs;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([SEX]) (\d+) (\d+) (\d+) (\d+) (\d+)$/.exec(line);
    if (!m) continue;
    const [, tag, jobId, attempt, pid, ms, grandPid] = m as unknown as [
      string,
      'S' | 'E' | 'X',
      string,
      string,
      string,
      string,
      string,
    ];
    const key = `${jobId}/${attempt}`;
    const run = runs.get(key) ?? {
      jobId,
      attempt: Number(attempt),
      pid: Number(pid),
      grandPid: Number(grandPid),
      startMs: Number(ms),
      endMs: null,
      exitMs: null,
      starts: 0,
    };
    if (tag === 'S') run.starts += 1;
    else if (tag === 'E') run.endMs = Number(ms);
    else run.exitMs = Number(ms);
    runs.set(key, run);
  }
  return runs;
}
