import { START_TOLERANCE_MS, type CommandRunner, type LeftoverEntry } from './types';

export interface MacDeps {
  run: CommandRunner;
  now: () => number;
  killGroup: (pgid: number) => void;
}

export interface PsRow {
  pid: number;
  pgid: number;
  /** Start time, from the elapsed time: whole seconds, so within a second of the truth. */
  startedAt: number;
}

/** `ps -A -o pid=,pgid=,etime=`: etime is `[[dd-]hh:]mm:ss`, free of the locale `lstart` follows. */
export const PS_ARGS = ['-A', '-o', 'pid=,pgid=,etime='];

export function parseElapsed(etime: string): number | null {
  const m = /^(?:(?:(\d+)-)?(\d+):)?(\d+):(\d+)$/.exec(etime.trim());
  if (!m) return null;
  const [, days, hours, minutes, seconds] = m;
  return (((Number(days ?? 0) * 24 + Number(hours ?? 0)) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
}

export function parsePs(output: string, now: number): PsRow[] {
  const rows: PsRow[] = [];
  for (const line of output.split('\n')) {
    const [pid, pgid, etime] = line.trim().split(/\s+/);
    const elapsed = etime === undefined ? null : parseElapsed(etime);
    if (elapsed === null || !/^\d+$/.test(pid ?? '') || !/^\d+$/.test(pgid ?? '')) continue;
    rows.push({ pid: Number(pid), pgid: Number(pgid), startedAt: now - elapsed });
  }
  return rows;
}

/**
 * True when the live group is the one the node spawned. macOS lets no program read another's
 * environment without privileges, so the guard is the start time: the leader, if still there,
 * started when the node wrote down; without it, every member started after that (a pid is not
 * reused while its group has members, so a group without its leader is the original one unless
 * it died out entirely and the id came back, which is what the lower bound rules out).
 */
function isJobGroup(members: PsRow[], entry: LeftoverEntry & { startedAt: number }): boolean {
  if (members.length === 0) return false;
  const leader = members.find((m) => m.pid === entry.pid);
  if (leader) return Math.abs(leader.startedAt - entry.startedAt) <= START_TOLERANCE_MS;
  return members.every((m) => m.startedAt >= entry.startedAt - START_TOLERANCE_MS);
}

/** macOS: the groups' members from one `ps`, each job's recognised by its start time. */
export function endMacLeftovers(entries: LeftoverEntry[], deps: MacDeps): string[] {
  const verifiable = entries.filter((e): e is LeftoverEntry & { startedAt: number } => e.startedAt !== null);
  if (verifiable.length === 0) return [];
  let rows: PsRow[];
  try {
    rows = parsePs(deps.run('ps', PS_ARGS), deps.now());
  } catch {
    return []; // without the list nothing can be verified, and nothing is killed
  }
  const ended: string[] = [];
  for (const entry of verifiable) {
    if (
      !isJobGroup(
        rows.filter((r) => r.pgid === entry.pid),
        entry,
      )
    )
      continue;
    try {
      deps.killGroup(entry.pid);
      ended.push(entry.jobId);
    } catch {
      // already gone
    }
  }
  return ended;
}
