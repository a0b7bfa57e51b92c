import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The process groups this node's jobs run in, one small file each in `<data dir>/running`.
 * A job's group is detached, so it outlives a node killed with SIGKILL; at restart the node
 * reads these files and ends what its crash left running before it retries those jobs —
 * otherwise the old attempt and its retry would run side by side.
 */
export class ProcessRegistry {
  private readonly dir: string;
  /** Jobs with a pid file: an HTTP job has none, and removing nothing still costs syscalls. */
  private readonly files = new Set<string>();

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'running');
    mkdirSync(this.dir, { recursive: true });
  }

  add(jobId: string, pid: number): void {
    writeFileSync(path.join(this.dir, `${jobId}.pid`), String(pid));
    this.files.add(jobId);
  }

  remove(jobId: string): void {
    if (!this.files.delete(jobId)) return;
    rmSync(path.join(this.dir, `${jobId}.pid`), { force: true });
  }

  /** Ends every process group left by a previous run of this node; returns the job ids it found. */
  endLeftovers(): string[] {
    const ended: string[] = [];
    const names = readdirSync(this.dir).filter((n) => n.endsWith('.pid'));
    const groups = names.length > 0 ? processGroups() : new Map<number, string[]>();
    for (const name of names) {
      const jobId = name.slice(0, -4);
      const pgid = Number(readFileSync(path.join(this.dir, name), 'utf8'));
      if (Number.isInteger(pgid) && pgid > 1 && groupBelongsToJob(groups.get(pgid) ?? [], jobId)) {
        try {
          process.kill(-pgid, 'SIGKILL');
          ended.push(jobId);
        } catch {
          // already gone
        }
      }
      rmSync(path.join(this.dir, name), { force: true });
    }
    return ended;
  }
}

/** The live processes of each process group, from /proc (empty where there is no /proc). */
function processGroups(): Map<number, string[]> {
  const groups = new Map<number, string[]>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return groups;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so count from the last ")".
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      const members = groups.get(pgrp);
      if (members) members.push(pid);
      else groups.set(pgrp, [pid]);
    } catch {
      // gone meanwhile
    }
  }
  return groups;
}

/**
 * True when some live member of the group carries the job's id in its environment: the guard
 * against pid reuse. Every member is looked at, not only the leader: a job's shell may have
 * exited after the crash and left children behind, and they are still the job's. Without /proc
 * the check cannot be made, and nothing is killed.
 */
function groupBelongsToJob(members: string[], jobId: string): boolean {
  const marker = `TICKR_JOB_ID=${jobId}`;
  return members.some((pid) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker);
    } catch {
      return false; // gone meanwhile, or not ours to read
    }
  });
}
