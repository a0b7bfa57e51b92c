import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { endLinuxLeftovers, endLinuxUnforked } from './leftovers/linux';
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
  /** When the journal is rewritten (tests make these small). */
  journalLimits?: { compactAfterLines: number; truncateAfterLines: number };
}

const runCommand: CommandRunner = (file, args) =>
  execFileSync(file, args, {
    encoding: 'utf8',
    windowsHide: true,
    timeout: 15_000,
    env: { ...process.env, LC_ALL: 'C' },
  });

/** The journal's name in `<data dir>/running`. */
const JOURNAL = 'processes.log';
/**
 * Lines after which the journal is rewritten to what runs, or emptied the next time nothing
 * runs (a truncate, cheaper than the rewrite, which only a node never idle needs).
 */
const JOURNAL_LIMITS = { compactAfterLines: 5_000, truncateAfterLines: 500 };

/**
 * The process groups this node's jobs run in, each with the job's first pid and when it was
 * spawned, in an append-only journal in `<data dir>/running`: `+ <job> <pid> <ms>` when a group
 * starts, `- <job>` when it ended. A job's group is detached, so it outlives a node killed with
 * SIGKILL; at restart the node replays the journal and ends what its crash left running before it
 * retries those jobs — otherwise the old attempt and its retry would run side by side. How the
 * leftovers are found and told from a reused pid depends on the OS (./leftovers: Linux's /proc
 * and environment, macOS's ps and start times, Windows's parent ids, creation times and
 * taskkill).
 *
 * Why a journal: a file per job (an earlier version, whose files are still read at restart) cost
 * a create and an unlink per job, about 0.3 ms of CPU in the throughput profile. A start is one
 * write(2) on a file kept open, made at once on the event loop: a start written later, off the
 * loop or a turn after, left a node killed just after a job started without its pid, and the
 * crash test found that job's process still running after the restart. The ends of one turn go
 * in one write a turn later: an end written late only leaves an entry whose process is gone,
 * which the restart tells apart. The page cache keeps the writes when the node is killed.
 */
export class ProcessRegistry {
  private readonly dir: string;
  private readonly journal: string;
  /** Jobs with a group here now, and their entry (`<pid> <ms>`). */
  private readonly live = new Map<string, string>();
  private readonly platform: NodeJS.Platform;
  private readonly run: CommandRunner;
  private readonly now: () => number;
  private readonly killGroup: (pgid: number) => void;
  private readonly procRoot: string;
  /** Ends waiting for this turn's write, and the promise of that write. */
  private ends: string[] = [];
  private endsWritten: Promise<void> = Promise.resolve();
  private fd: number | null = null;
  private lines = 0;
  private closed = false;
  private readonly limits: { compactAfterLines: number; truncateAfterLines: number };

  constructor(dataDir: string, options: ProcessRegistryOptions = {}) {
    this.dir = path.join(dataDir, 'running');
    this.journal = path.join(this.dir, JOURNAL);
    mkdirSync(this.dir, { recursive: true });
    this.platform = options.platform ?? process.platform;
    this.run = options.run ?? runCommand;
    this.now = options.now ?? Date.now;
    this.killGroup = options.killGroup ?? ((pgid) => process.kill(-pgid, 'SIGKILL'));
    this.procRoot = options.procRoot ?? '/proc';
    this.limits = options.journalLimits ?? JOURNAL_LIMITS;
  }

  /**
   * Records that a job's process is about to be forked, its pid not known yet (`+ <job> 0 <ms>`).
   * A node killed between the fork and add() leaves this line: on Linux the restart then finds
   * the job's processes by their TICKR_JOB_ID alone (leftovers/linux.ts); elsewhere it cannot.
   */
  starting(jobId: string): void {
    this.record(jobId, 0);
  }

  /** Records a job's process group, written before this returns. */
  add(jobId: string, pid: number): Promise<void> {
    this.record(jobId, pid);
    return Promise.resolve();
  }

  private record(jobId: string, pid: number): void {
    if (this.closed) return;
    const entry = `${pid} ${this.now()}`;
    this.live.set(jobId, entry);
    this.write([`+ ${jobId} ${entry}\n`]);
  }

  /** Forgets a job's process group once it ended; resolves once that is written. */
  remove(jobId: string): Promise<void> {
    // An HTTP job has no group: nothing to write.
    if (!this.live.delete(jobId) || this.closed) return Promise.resolve();
    this.ends.push(`- ${jobId}\n`);
    if (this.ends.length > 1) return this.endsWritten;
    this.endsWritten = new Promise<void>((resolve) => {
      setImmediate(() => {
        this.writeEnds();
        resolve();
      });
    });
    return this.endsWritten;
  }

  /**
   * Closes the journal once what was given is written. Nothing is written after: a halted node's
   * jobs that end later must not touch the journal of the node started after it.
   */
  async close(): Promise<void> {
    this.writeEnds();
    this.closed = true;
    this.closeFile();
    await this.endsWritten;
  }

  private writeEnds(): void {
    const lines = this.ends;
    this.ends = [];
    if (lines.length > 0 && !this.closed) this.write(lines);
  }

  private closeFile(): void {
    const fd = this.fd;
    this.fd = null;
    if (fd !== null) {
      try {
        closeSync(fd);
      } catch {
        // Already closed.
      }
    }
  }

  /** Best effort: a journal that cannot be written must not fail the job it records. */
  private write(lines: string[]): void {
    try {
      this.lines += lines.length;
      if (this.live.size === 0 && this.lines > this.limits.truncateAfterLines) {
        // Nothing runs: every line so far, written or still pending, is settled.
        this.fd ??= openSync(this.journal, 'a');
        ftruncateSync(this.fd, 0);
        this.lines = 0;
        return;
      }
      if (this.lines > this.limits.compactAfterLines) {
        // Rewritten to what runs now; ends still pending only repeat it. The rename is atomic: a
        // crash leaves the old journal or the new one.
        this.closeFile();
        const entries = [...this.live].map(([jobId, entry]) => `+ ${jobId} ${entry}\n`);
        writeFileSync(`${this.journal}.new`, entries.join(''));
        renameSync(`${this.journal}.new`, this.journal);
        this.lines = entries.length;
        return;
      }
      this.fd ??= openSync(this.journal, 'a');
      writeSync(this.fd, lines.join(''));
    } catch {
      // The disk is full or the folder gone: the restart then finds less to end, as without it.
    }
  }

  /**
   * Ends every process group left by a previous run of this node; returns the job ids it found.
   * Called at start, before the first job.
   */
  endLeftovers(): string[] {
    const left = new Map<string, string>();
    // Files of the version before the journal, one per job.
    const files = readdirSync(this.dir).filter((n) => n.endsWith('.pid'));
    for (const name of files) left.set(name.slice(0, -4), readFileSync(path.join(this.dir, name), 'utf8'));
    if (existsSync(this.journal)) replayJournal(readFileSync(this.journal, 'utf8'), left);
    const entries: LeftoverEntry[] = [];
    const unforked: string[] = [];
    for (const [jobId, text] of left) {
      const entry = parseEntry(jobId, text);
      if (entry) entries.push(entry);
      else if (text.startsWith('0 ')) unforked.push(jobId);
    }
    const ended = entries.length === 0 ? [] : this.endEntries(entries);
    // Killed between a fork and its pid: only Linux can find those processes without the pid.
    if (unforked.length > 0 && this.platform === 'linux')
      ended.push(...endLinuxUnforked(unforked, { procRoot: this.procRoot, killGroup: this.killGroup }));
    for (const name of files) rmSync(path.join(this.dir, name), { force: true });
    rmSync(this.journal, { force: true });
    // Appends from here on go to a new journal, not to the removed file an open one still holds.
    this.closeFile();
    this.lines = 0;
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

/** Applies the journal's lines to `live` (job id → entry); a torn last line is ignored. */
export function replayJournal(text: string, live: Map<string, string>): void {
  for (const line of text.split('\n')) {
    const [op, jobId, ...entry] = line.trim().split(' ');
    if (!jobId) continue;
    if (op === '+' && entry.length > 0) live.set(jobId, entry.join(' '));
    else if (op === '-') live.delete(jobId);
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
