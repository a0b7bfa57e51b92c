import { START_TOLERANCE_MS, type CommandRunner, type LeftoverEntry } from './types';

export interface WindowsDeps {
  run: CommandRunner;
}

export interface WinProcess {
  pid: number;
  ppid: number;
  /** CreationDate, to the millisecond. */
  createdAt: number;
}

/**
 * Every process with its parent and creation time, one `pid ppid ISO-time` line each. PowerShell's
 * CIM query, as `wmic` is gone from current Windows; processes without a creation time (System,
 * Idle) are left out, they are never a job's.
 */
export const PROCESS_LIST: [string, string[]] = [
  'powershell.exe',
  [
    '-NoProfile',
    '-NonInteractive',
    '-Command',
    "Get-CimInstance Win32_Process | Where-Object { $_.CreationDate } | ForEach-Object { '{0} {1} {2}' -f $_.ProcessId, $_.ParentProcessId, $_.CreationDate.ToUniversalTime().ToString('o') }",
  ],
];

export function parseProcessList(output: string): WinProcess[] {
  const rows: WinProcess[] = [];
  for (const line of output.split(/\r?\n/)) {
    const [pid, ppid, created] = line.trim().split(/\s+/);
    const createdAt = created === undefined ? NaN : Date.parse(created);
    if (!/^\d+$/.test(pid ?? '') || !/^\d+$/.test(ppid ?? '') || Number.isNaN(createdAt)) continue;
    rows.push({ pid: Number(pid), ppid: Number(ppid), createdAt });
  }
  return rows;
}

/**
 * The processes to end, each with its tree, for one job. A job's first process (its shell) that
 * still runs and was created when the node wrote down is the root. If the shell has exited, its
 * orphaned children still name it as parent (Windows never re-parents), so those created after
 * the shell and, when its pid has since been reused, before the new owner of that pid, are ends.
 * Windows reuses pids quickly and keeps stale parent ids, hence the creation times at every step.
 */
export function treeRoots(rows: WinProcess[], entry: LeftoverEntry & { startedAt: number }): number[] {
  const holder = rows.find((r) => r.pid === entry.pid);
  if (holder && Math.abs(holder.createdAt - entry.startedAt) <= START_TOLERANCE_MS) return [entry.pid];
  return rows
    .filter(
      (r) =>
        r.ppid === entry.pid &&
        r.createdAt >= entry.startedAt - START_TOLERANCE_MS &&
        (holder === undefined || r.createdAt < holder.createdAt),
    )
    .map((r) => r.pid);
}

/**
 * Windows: no process groups, and a Job Object needs native code Node does not ship. The
 * equivalent: the tree is found from parent ids and creation times, and each root is ended with
 * `taskkill /PID <pid> /T /F`, which ends it and its descendants.
 */
export function endWindowsLeftovers(entries: LeftoverEntry[], deps: WindowsDeps): string[] {
  const verifiable = entries.filter((e): e is LeftoverEntry & { startedAt: number } => e.startedAt !== null);
  if (verifiable.length === 0) return [];
  let rows: WinProcess[];
  try {
    rows = parseProcessList(deps.run(...PROCESS_LIST));
  } catch {
    return [];
  }
  const ended: string[] = [];
  for (const entry of verifiable) {
    let any = false;
    for (const pid of treeRoots(rows, entry)) {
      try {
        deps.run('taskkill', ['/PID', String(pid), '/T', '/F']);
        any = true;
      } catch {
        // gone meanwhile
      }
    }
    if (any) ended.push(entry.jobId);
  }
  return ended;
}
