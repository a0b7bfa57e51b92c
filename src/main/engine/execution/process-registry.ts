import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { endLinuxLeftovers } from './leftovers/linux';
import { endMacLeftovers } from './leftovers/macos';
import type { CommandRunner, LeftoverEntry } from './leftovers/types';
import { endWindowsLeftovers } from './leftovers/windows';

export interface ProcessRegistryOptions {
  platform?: NodeJS.Platform;
  /** Runs `ps` (macOS) or PowerShell and taskkill (Windows); tests give recorded output. */
  run?: CommandRunner;
  now?: () => number;
  /** Sends SIGKILL to a POSIX process group. */
  killGroup?: (pgid: number) => void;
  /** Linux: where /proc is. */
  procRoot?: string;
}

const runCommand: CommandRunner = (file, args) =>
  execFileSync(file, args, {
    encoding: 'utf8',
    windowsHide: true,
    timeout: 15_000,
    env: { ...process.env, LC_ALL: 'C' },
  });

/**
 * The process groups this node's jobs run in, one small file each in `<data dir>/running`
 * holding the job's first pid and when it was spawned. A job's group is detached, so it outlives
 * a node killed with SIGKILL; at restart the node reads these files and ends what its crash left
 * running before it retries those jobs — otherwise the old attempt and its retry would run side
 * by side. How the leftovers are found and told from a reused pid depends on the OS
 * (./leftovers: Linux's /proc and environment, macOS's ps and start times, Windows's parent ids,
 * creation times and taskkill).
 */
export class ProcessRegistry {
  private readonly dir: string;
  /** Jobs with a pid file: an HTTP job has none, and removing nothing still costs syscalls. */
  private readonly files = new Set<string>();
  private readonly platform: NodeJS.Platform;
  private readonly run: CommandRunner;
  private readonly now: () => number;
  private readonly killGroup: (pgid: number) => void;
  private readonly procRoot: string;

  constructor(dataDir: string, options: ProcessRegistryOptions = {}) {
    this.dir = path.join(dataDir, 'running');
    mkdirSync(this.dir, { recursive: true });
    this.platform = options.platform ?? process.platform;
    this.run = options.run ?? runCommand;
    this.now = options.now ?? Date.now;
    this.killGroup = options.killGroup ?? ((pgid) => process.kill(-pgid, 'SIGKILL'));
    this.procRoot = options.procRoot ?? '/proc';
  }

  /** Pid files being written, so a removal never lands before its file. */
  private readonly writing = new Map<string, Promise<void>>();

  /**
   * Records a job's process group. Written off the event loop (a synchronous write per job
   * showed in the throughput profile); resolves once the file is on disk.
   */
  add(jobId: string, pid: number): Promise<void> {
    const written = writeFile(path.join(this.dir, `${jobId}.pid`), `${pid} ${this.now()}`).catch(() => undefined);
    this.writing.set(jobId, written);
    this.files.add(jobId);
    return written;
  }

  /** Forgets a job's process group once it ended; resolves once its file is gone. */
  remove(jobId: string): Promise<void> {
    if (!this.files.delete(jobId)) return Promise.resolve();
    const written = this.writing.get(jobId) ?? Promise.resolve();
    this.writing.delete(jobId);
    // unlink, not rm: rm looks the path up first, a syscall per job for nothing here.
    return written.then(() => unlink(path.join(this.dir, `${jobId}.pid`))).catch(() => undefined);
  }

  /** Ends every process group left by a previous run of this node; returns the job ids it found. */
  endLeftovers(): string[] {
    const names = readdirSync(this.dir).filter((n) => n.endsWith('.pid'));
    if (names.length === 0) return [];
    const entries: LeftoverEntry[] = [];
    for (const name of names) {
      const entry = parseEntry(name.slice(0, -4), readFileSync(path.join(this.dir, name), 'utf8'));
      if (entry) entries.push(entry);
    }
    const ended = entries.length === 0 ? [] : this.endEntries(entries);
    for (const name of names) rmSync(path.join(this.dir, name), { force: true });
    return ended;
  }

  private endEntries(entries: LeftoverEntry[]): string[] {
    if (this.platform === 'win32') return endWindowsLeftovers(entries, { run: this.run });
    if (this.platform === 'darwin') {
      return endMacLeftovers(entries, { run: this.run, now: this.now, killGroup: this.killGroup });
    }
    return endLinuxLeftovers(entries, { procRoot: this.procRoot, killGroup: this.killGroup });
  }
}

/** `<pid> <spawned at, ms>`; a file from before the time was recorded holds the pid alone. */
export function parseEntry(jobId: string, text: string): LeftoverEntry | null {
  const [pidText, startedText] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 1) return null;
  const startedAt = startedText === undefined ? null : Number(startedText);
  return { jobId, pid, startedAt: startedAt !== null && Number.isFinite(startedAt) ? startedAt : null };
}
