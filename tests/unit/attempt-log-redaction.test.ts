import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogChunk } from '../../src/main/engine/store/logs';
import { AttemptLog } from '../../src/main/engine/execution/workers/attempt-log';

/** Redaction of secrets in a job's log, however the program's output is cut into pipe reads. */
const SECRET = 'hunter2-very-secret';
const FLUSH_MS = 100;

function makeLog(secrets: string[] = [SECRET]) {
  const stored: LogChunk[] = [];
  const log = new AttemptLog({
    jobId: '1',
    attempt: 1,
    lastSeq: 0,
    capBytes: 1 << 20,
    flushMs: FLUSH_MS,
    secrets,
    persist: async (chunks) => {
      stored.push(...chunks);
    },
  });
  const text = (stream?: string): string =>
    stored
      .filter((c) => stream === undefined || c.stream === stream)
      .map((c) => c.text)
      .join('');
  return { log, stored, text };
}

describe('redaction across writes', () => {
  afterEach(() => vi.useRealTimers());

  it('redacts a secret cut at every position into two writes', async () => {
    for (let cut = 1; cut < SECRET.length; cut++) {
      const { log, stored } = makeLog();
      log.write('stdout', Buffer.from(`key=${SECRET.slice(0, cut)}`));
      log.write('stdout', Buffer.from(`${SECRET.slice(cut)} done\n`));
      const rest = await log.closeForFinish();
      const all = [...stored, ...rest].map((c) => c.text).join('');
      expect(all, `cut at ${cut}`).toBe('key=*** done\n');
    }
  });

  it('redacts a secret written one byte at a time', async () => {
    const { log, stored } = makeLog();
    for (const ch of `[${SECRET}]`) log.write('stdout', Buffer.from(ch));
    const rest = await log.closeForFinish();
    expect([...stored, ...rest].map((c) => c.text).join('')).toBe('[***]');
  });

  it('keeps streams apart: a prefix on stdout is not completed by stderr', async () => {
    const { log, stored } = makeLog();
    log.write('stdout', Buffer.from(SECRET.slice(0, 6)));
    log.write('stderr', Buffer.from(SECRET.slice(6)));
    const rest = await log.closeForFinish();
    const all = [...stored, ...rest];
    expect(
      all
        .filter((c) => c.stream === 'stdout')
        .map((c) => c.text)
        .join(''),
    ).toBe(SECRET.slice(0, 6));
    expect(
      all
        .filter((c) => c.stream === 'stderr')
        .map((c) => c.text)
        .join(''),
    ).toBe(SECRET.slice(6));
  });

  it('a held start that never becomes a secret goes out with its batch, at the end of the flush window', async () => {
    vi.useFakeTimers();
    const { log, text } = makeLog();
    log.write('stdout', Buffer.from(`almost ${SECRET.slice(0, 5)}`));
    await vi.advanceTimersByTimeAsync(FLUSH_MS - 1);
    expect(text()).toBe(''); // the batch itself waits for the window, held part or not
    await vi.advanceTimersByTimeAsync(1);
    expect(text()).toBe(`almost ${SECRET.slice(0, 5)}`);
    await log.close();
  });

  it('a secret completed in the next write inside the window is redacted, and nothing waits past the window', async () => {
    vi.useFakeTimers();
    const { log, text } = makeLog();
    log.write('stdout', Buffer.from(`a ${SECRET.slice(0, 8)}`));
    await vi.advanceTimersByTimeAsync(20); // the `sleep 0.02` between the two printfs
    log.write('stdout', Buffer.from(`${SECRET.slice(8)} b\n`));
    await vi.advanceTimersByTimeAsync(FLUSH_MS);
    expect(text()).toBe('a *** b\n');
    await log.close();
  });

  it('text with nothing secret-like is not held back at all', async () => {
    vi.useFakeTimers();
    const { log, text } = makeLog();
    log.write('stdout', Buffer.from('plain output\n'));
    await vi.advanceTimersByTimeAsync(FLUSH_MS);
    expect(text()).toBe('plain output\n');
    await log.close();
  });
});
