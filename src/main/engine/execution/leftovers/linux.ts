import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LeftoverEntry } from './types';

export interface LinuxDeps {
  /** `/proc`, or a folder laid out like it (tests). */
  procRoot: string;
  killGroup: (pgid: number) => void;
}

/** The live processes of each process group, from /proc. */
function processGroups(procRoot: string): Map<number, string[]> {
  const groups = new Map<number, string[]>();
  let pids: string[];
  try {
    pids = readdirSync(procRoot).filter((n) => /^\d+$/.test(n));
  } catch {
    return groups;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(path.join(procRoot, pid, 'stat'), 'latin1');
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
 * exited after the crash and left children behind, and they are still the job's.
 */
function groupBelongsToJob(procRoot: string, members: string[], jobId: string): boolean {
  return jobIdsOf(procRoot, members).has(jobId);
}

/** Linux: the groups' members from /proc, each job's recognised by TICKR_JOB_ID in its environment. */
export function endLinuxLeftovers(entries: LeftoverEntry[], deps: LinuxDeps): string[] {
  const groups = processGroups(deps.procRoot);
  const ended: string[] = [];
  for (const { jobId, pid } of entries) {
    if (!groupBelongsToJob(deps.procRoot, groups.get(pid) ?? [], jobId)) continue;
    try {
      deps.killGroup(pid);
      ended.push(jobId);
    } catch {
      // already gone
    }
  }
  return ended;
}

/**
 * Linux, for jobs whose pid was never written (the node was killed between the fork and the
 * write): every process group one of whose members carries one of these jobs' TICKR_JOB_ID is
 * that job's. Each group's environments are read once, whatever the number of jobs. This node's
 * own group is never one of them.
 */
export function endLinuxUnforked(jobIds: string[], deps: LinuxDeps): string[] {
  const wanted = new Set(jobIds);
  const ended = new Set<string>();
  for (const [pgid, members] of processGroups(deps.procRoot)) {
    if (pgid <= 1 || pgid === process.pid || members.includes(String(process.pid))) continue;
    const jobId = [...jobIdsOf(deps.procRoot, members)].find((id) => wanted.has(id));
    if (jobId === undefined) continue;
    try {
      deps.killGroup(pgid);
      ended.add(jobId);
    } catch {
      // already gone
    }
  }
  return jobIds.filter((id) => ended.has(id));
}

/** The TICKR_JOB_ID values the group's live members carry. */
function jobIdsOf(procRoot: string, members: string[]): Set<string> {
  const ids = new Set<string>();
  for (const pid of members) {
    try {
      for (const v of readFileSync(path.join(procRoot, pid, 'environ'), 'latin1').split('\0'))
        if (v.startsWith('TICKR_JOB_ID=')) ids.add(v.slice('TICKR_JOB_ID='.length));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return ids;
}
