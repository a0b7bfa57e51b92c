import { spawn } from 'node:child_process';

/** A job's process as the group functions need it: its pid (the group's id on POSIX). */
interface GroupLeader {
  readonly pid?: number | undefined;
}

/**
 * Signals a job's whole process tree. On POSIX a job runs as the leader of its own process group
 * (spawned detached, so it calls setsid), and a signal to the negative pid reaches every
 * descendant that stayed in the group — including children that ignore SIGTERM, which the
 * SIGKILL after the grace period then ends. On Windows the group is walked by taskkill /T.
 */
export function signalGroup(child: GroupLeader, signal: NodeJS.Signals): boolean {
  const pid = child.pid;
  if (pid === undefined) return false;
  if (process.platform === 'win32') {
    spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore' }).on('error', () => undefined);
    return true;
  }
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is already gone.
  }
}

/** True while any process of the group is alive. */
export function groupAlive(pid: number): boolean {
  if (process.platform === 'win32') return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the group, then SIGKILL after `graceMs` if anything is left. */
export function terminateGroup(child: GroupLeader, graceMs: number): void {
  if (!signalGroup(child, 'SIGTERM')) return;
  const pid = child.pid;
  const timer = setTimeout(() => {
    if (pid !== undefined && groupAlive(pid)) signalGroup(child, 'SIGKILL');
  }, graceMs);
  timer.unref();
}
