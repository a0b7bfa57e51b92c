import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal, type JournalRecord } from '../../src/main/engine/execution/journal';
import { tempDir } from '../helpers/services';

const logRecord = (seq: number): JournalRecord => ({
  type: 'logs',
  chunks: [{ jobId: '7', seq, attempt: 1, stream: 'stdout', at: '2026-01-01T00:00:00.000Z', text: `line ${seq}\n` }],
});

describe('Journal', () => {
  const dirs: { remove(): void }[] = [];
  const dir = (): string => {
    const d = tempDir('tickr-journal');
    dirs.push(d);
    return d.path;
  };
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('keeps appended records across a restart and replays them in order, then is empty', async () => {
    const path = dir();
    const journal = new Journal(path);
    journal.append(logRecord(1));
    journal.append(logRecord(2));
    const reopened = new Journal(path);
    expect(reopened.size).toBe(2);
    const seen: number[] = [];
    const n = await reopened.replay(async (r) => {
      if (r.type === 'logs') seen.push(r.chunks[0]!.seq);
    });
    expect(n).toBe(2);
    expect(seen).toEqual([1, 2]);
    expect(reopened.size).toBe(0);
    expect(existsSync(reopened.file)).toBe(false);
  });

  it('ignores a torn last line (a crash mid-append was never acknowledged)', async () => {
    const journal = new Journal(dir());
    journal.append(logRecord(1));
    appendFileSync(journal.file, '{"type":"logs","chu');
    const seen: number[] = [];
    await new Journal(journal.file.replace(/\/journal\.ndjson$/, '')).replay(async (r) => {
      if (r.type === 'logs') seen.push(r.chunks[0]!.seq);
    });
    expect(seen).toEqual([1]);
  });

  it('keeps what was appended during a replay, and finishes a replay that died midway first', async () => {
    const path = dir();
    const journal = new Journal(path);
    journal.append(logRecord(1));
    journal.append(logRecord(2));
    // The first replay dies after applying record 1.
    await expect(
      journal.replay(async (r) => {
        if (r.type === 'logs' && r.chunks[0]!.seq === 2) throw new Error('MySQL went away again');
      }),
    ).rejects.toThrow('MySQL went away again');
    journal.append(logRecord(3));
    const seen: number[] = [];
    await new Journal(path).replay(async (r) => {
      if (r.type === 'logs') seen.push(r.chunks[0]!.seq);
      if (seen.length === 1) journal.append(logRecord(4)); // written while replaying
    });
    // Record 1 is applied again (replay is idempotent by design), then 2, then the newer 3 and 4.
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(existsSync(journal.file) ? readFileSync(journal.file, 'utf8') : '').toBe('');
  });
});
