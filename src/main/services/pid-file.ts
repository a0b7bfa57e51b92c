import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/**
 * One file per managed server, `<service dir>/tickr-managed.pid`, written when it is spawned and
 * removed when it is stopped. A Tickr that crashed leaves it behind together with the server,
 * which would keep the port and the data dir's lock; the next start ends that server first.
 * Ended, not adopted: a server that is not Tickr's child cannot be watched for its exit, and a
 * clean restart costs a second.
 */
export interface PidRecord {
  pid: number;
  /**
   * Strings the server's command line holds (its data dir, or for Redis, which rewrites its
   * process title, its name and address): the check against a pid reused by another program.
   */
  markers: string[];
}

export function writePidFile(file: string, record: PidRecord): void {
  writeFileSync(file, JSON.stringify(record));
}

export function removePidFile(file: string): void {
  rmSync(file, { force: true });
}

export function readPidFile(file: string): PidRecord | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<PidRecord>;
    const { pid, markers } = parsed;
    if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 1) return null;
    if (!Array.isArray(markers) || markers.length === 0 || !markers.every((m) => typeof m === 'string')) return null;
    return { pid, markers };
  } catch {
    return null;
  }
}

/** A live process's command line, or null when it is gone (or not ours to read). */
export function commandLineOf(pid: number, platform: NodeJS.Platform = process.platform): string | null {
  try {
    if (platform === 'linux') return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    if (platform === 'win32') {
      const out = execFileSync(
        'powershell.exe',
        [
          '-NoProfile',
          '-NonInteractive',
          '-Command',
          `(Get-CimInstance Win32_Process -Filter "ProcessId=${pid}").CommandLine`,
        ],
        { encoding: 'utf8', windowsHide: true },
      );
      return out.trim() === '' ? null : out;
    }
    const out = execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' });
    return out.trim() === '' ? null : out;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Polls until `pid` is gone or `timeoutMs` passed; true when it is gone. */
export async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/**
 * Ends the server a crashed Tickr left behind, if the pid file names a live process whose
 * command line still holds its markers (a reused pid is left alone). SIGTERM first, so
 * MariaDB shuts down cleanly, then SIGKILL after `graceMs`. Returns the pid it ended, or null.
 */
export async function endLeftoverServer(file: string, graceMs: number): Promise<number | null> {
  const record = readPidFile(file);
  removePidFile(file);
  if (record === null) return null;
  const cmd = commandLineOf(record.pid);
  if (cmd === null || !record.markers.every((m) => cmd.includes(m))) return null;
  try {
    process.kill(record.pid, 'SIGTERM');
  } catch {
    return null;
  }
  if (!(await waitGone(record.pid, graceMs))) {
    try {
      process.kill(record.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
    await waitGone(record.pid, 2_000);
  }
  return record.pid;
}
