import { closeSync, existsSync, fdatasyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { AttemptResult, FinishPlan } from '../store/jobs';
import type { LogChunk } from '../store/logs';

/**
 * What a node could not write to MySQL while it was down (invariant 8): log chunks and attempt
 * results, in the order they happened. Each record is one JSON line, appended and flushed to
 * disk (fdatasync) before the write counts as done, so a crash loses nothing that was accepted.
 * Replay applies the records in order; every record is idempotent in MySQL (INSERT IGNORE on
 * log chunks, claim-token-guarded result), so replaying twice — after a crash mid-replay — is safe.
 */
export type JournalRecord =
  | { type: 'logs'; chunks: (Omit<LogChunk, 'at'> & { at: string })[] }
  | {
      type: 'finish';
      id: string;
      attempt: number;
      token: string;
      result: Omit<AttemptResult, 'finishedAt'> & { finishedAt: string };
      plan: { status: FinishPlan['status']; dueAt: string | null };
      pinnedNodeId: string | null;
    };

export class Journal {
  readonly file: string;
  private readonly aside: string;
  private pending: number;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'journal.ndjson');
    this.aside = `${this.file}.replaying`;
    this.pending = readRecords(this.file).length + readRecords(this.aside).length;
  }

  /** Records waiting to be replayed. */
  get size(): number {
    return this.pending;
  }

  append(record: JournalRecord): void {
    const fd = openSync(this.file, 'a');
    try {
      writeSync(fd, `${JSON.stringify(record)}\n`);
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.pending += 1;
  }

  /**
   * Replays every record through `apply`, oldest first, then removes them. The journal is moved
   * aside before its replay, so records appended meanwhile land in a fresh file and survive; a
   * replay that died midway left its file aside, and that older file goes first.
   */
  async replay(apply: (record: JournalRecord) => Promise<void>): Promise<number> {
    let applied = 0;
    for (;;) {
      if (!existsSync(this.aside)) {
        if (!existsSync(this.file)) break;
        renameSync(this.file, this.aside);
      }
      for (const record of readRecords(this.aside)) {
        await apply(record);
        applied += 1;
        this.pending = Math.max(0, this.pending - 1);
      }
      rmSync(this.aside, { force: true });
    }
    this.pending = 0;
    return applied;
  }
}

/** Every complete record of a file, in order. A torn last line (a crash mid-append) was never acknowledged: skipped. */
function readRecords(file: string): JournalRecord[] {
  if (!existsSync(file)) return [];
  const out: JournalRecord[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as JournalRecord);
    } catch {
      // the torn last line
    }
  }
  return out;
}
