import { existsSync, readFileSync } from 'node:fs';

/**
 * Every shell task's command is wrapped so that its run leaves lines in one file (appends of a
 * short line are atomic with O_APPEND): `S <job> <attempt> <node pid> <ms>` when it starts and
 * `E …` when its work completed. The node is named by its pid: a job's shell is the node's child,
 * so $PPID is the node process (the soak maps pids to nodes across restarts). The marker line on
 * stdout lets the checks find each attempt's captured log in MySQL.
 */
export function wrapCommand(file: string, body: string): string {
  const line = (tag: string): string => `echo "${tag} $TICKR_JOB_ID $TICKR_ATTEMPT $PPID $(date +%s%3N)" >> ${file}`;
  return `${line('S')}; echo "soak-log $TICKR_JOB_ID $TICKR_ATTEMPT"; { ${body}; } || exit $?; ${line('E')}`;
}

export interface Run {
  jobId: string;
  attempt: number;
  pid: number;
  startMs: number;
  /** When its work completed; null if it failed, timed out, was cancelled or killed first. */
  endMs: number | null;
  /** How many S lines this (job, attempt) wrote: more than one is one attempt run twice. */
  starts: number;
}

/** The runs of the side-effect file, keyed `<job>/<attempt>`. */
export function readRuns(file: string): Map<string, Run> {
  const runs = new Map<string, Run>();
  if (!existsSync(file)) return runs;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([SE]) (\d+) (\d+) (\d+) (\d+)$/.exec(line);
    if (!m) continue;
    const [, tag, jobId, attempt, pid, ms] = m as unknown as [string, 'S' | 'E', string, string, string, string];
    const key = `${jobId}/${attempt}`;
    const run = runs.get(key) ?? {
      jobId,
      attempt: Number(attempt),
      pid: Number(pid),
      startMs: Number(ms),
      endMs: null,
      starts: 0,
    };
    if (tag === 'S') run.starts += 1;
    else run.endMs = Number(ms);
    runs.set(key, run);
  }
  return runs;
}
