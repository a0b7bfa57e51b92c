import { StringDecoder } from 'node:string_decoder';
import type { LogEntry, LogStream } from '../../../../shared/types';
import type { LogChunk } from '../../store/logs';
import { redact } from '../../secrets/redaction';
import type { LogWriter } from './types';

export interface AttemptLogOptions {
  jobId: string;
  attempt: number;
  /** The attempt's first chunk gets lastSeq + 1 (each attempt has its own base: store/logs.ts). */
  lastSeq: number;
  capBytes: number;
  flushMs: number;
  secrets: readonly string[];
  /** Persists a batch; rejects if it could not. Batches are written one after another. */
  persist: (chunks: LogChunk[]) => Promise<void>;
  /** Told about each batch once persisted, for live log events. */
  onPersisted?: (entries: LogEntry[]) => void;
  onError?: (err: unknown) => void;
}

/**
 * The text of each stream that may be the first part of a secret, held back until more of the
 * stream shows whether it is. `take` returns what can go out now, fully redacted.
 */
export class SecretHold {
  private readonly held = new Map<LogStream, { text: string; at: number }>();

  constructor(private readonly secrets: readonly string[]) {}

  take(stream: LogStream, text: string, now: number): string {
    const before = this.held.get(stream);
    const joined = redact((before?.text ?? '') + text, this.secrets);
    const keep = this.heldLength(joined);
    if (keep === 0) {
      this.held.delete(stream);
      return joined;
    }
    // The hold keeps the time its oldest part arrived: waiting more text never extends it.
    this.held.set(stream, { text: joined.slice(joined.length - keep), at: before?.at ?? now });
    return joined.slice(0, joined.length - keep);
  }

  /** Takes out the held texts `due` says have waited long enough. */
  release(due: (heldSince: number) => boolean): [LogStream, string][] {
    const out: [LogStream, string][] = [];
    for (const [stream, h] of this.held) {
      if (!due(h.at)) continue;
      this.held.delete(stream);
      out.push([stream, h.text]);
    }
    return out;
  }

  any(): boolean {
    return this.held.size > 0;
  }

  /** When the oldest held text reaches `maxHoldMs`, from `now`; null when nothing is held. */
  nextDueIn(now: number, maxHoldMs: number): number | null {
    let soonest: number | null = null;
    for (const h of this.held.values()) {
      const due = Math.max(0, h.at + maxHoldMs - now);
      soonest = soonest === null ? due : Math.min(soonest, due);
    }
    return soonest;
  }

  /** The longest end of `text` that is the start (not the whole) of some secret. */
  private heldLength(text: string): number {
    let longest = 0;
    for (const secret of this.secrets) {
      for (let k = Math.min(secret.length - 1, text.length); k > longest; k--) {
        if (text.endsWith(secret.slice(0, k))) {
          longest = k;
          break;
        }
      }
    }
    return longest;
  }
}

/** A chunk grows until the stream changes, it reaches this size, or a flush takes it. */
const MAX_CHUNK_CHARS = 64 * 1024;

/**
 * The log of one attempt. Output is kept in order as it arrives, grouped into chunks (one per run
 * of the same stream within a flush window) and written in batches, not a row per line. Bytes
 * that are not UTF-8 become U+FFFD; a multi-byte character split across reads is kept whole.
 * Past `capBytes` of output, the rest is counted and dropped, and a notice says so.
 */
export class AttemptLog implements LogWriter {
  private seq: number;
  private pending: LogChunk[] = [];
  private bytes = 0;
  private droppedBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private readonly held: SecretHold;
  private closed = false;

  constructor(private readonly opts: AttemptLogOptions) {
    this.seq = opts.lastSeq;
    this.held = new SecretHold(opts.secrets);
  }

  get truncated(): boolean {
    return this.droppedBytes > 0;
  }

  write(stream: 'stdout' | 'stderr', data: Buffer): void {
    if (this.closed) return;
    const room = this.opts.capBytes - this.bytes;
    if (room <= 0) {
      this.droppedBytes += data.length;
      return;
    }
    const kept = data.length > room ? data.subarray(0, room) : data;
    this.droppedBytes += data.length - kept.length;
    this.bytes += kept.length;
    const text = this.decoders[stream].write(kept);
    if (text.length > 0) this.append(stream, text);
  }

  system(text: string): void {
    if (this.closed) return;
    this.append('system', `${text}\n`);
  }

  /**
   * Redacts across writes: a secret the program wrote in two pieces (two pipe reads) is redacted
   * as a whole, because the end of a stream's text that could be the start of a secret is held
   * back until the next write of that stream completes or rules it out, or the flush window
   * passes (so no byte waits longer than it would have anyway), or the log closes.
   */
  private append(stream: LogStream, text: string): void {
    const clean = this.held.take(stream, text, Date.now());
    if (clean.length === 0) {
      this.releaseHeldInTime();
      return;
    }
    this.chunk(stream, clean);
    if (this.pending.length > 64) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.opts.flushMs);
  }

  private chunk(stream: LogStream, clean: string): void {
    const last = this.pending[this.pending.length - 1];
    if (last && last.stream === stream && last.text.length + clean.length <= MAX_CHUNK_CHARS) {
      last.text += clean;
    } else {
      this.pending.push({
        jobId: this.opts.jobId,
        seq: ++this.seq,
        attempt: this.opts.attempt,
        stream,
        at: new Date(),
        text: clean,
      });
    }
  }

  /** Makes sure held text goes out when its flush window ends, if no other flush comes first. */
  private releaseHeldInTime(): void {
    const dueIn = this.held.nextDueIn(Date.now(), this.opts.flushMs);
    if (dueIn !== null && !this.timer) this.timer = setTimeout(() => this.flush(), dueIn);
  }

  /** Starts writing what is pending; batches go out strictly one after another. */
  private flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    // Held text whose window has passed goes out with this batch; younger text waits for the next.
    const now = Date.now();
    for (const [stream, text] of this.held.release((at) => now - at >= this.opts.flushMs)) this.chunk(stream, text);
    this.releaseHeldInTime();
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return this.writing;
    this.writing = this.writing.then(async () => {
      try {
        await this.opts.persist(batch);
        this.opts.onPersisted?.(
          batch.map((c) => ({
            seq: c.seq,
            attempt: c.attempt,
            stream: c.stream,
            at: c.at.toISOString(),
            text: c.text,
          })),
        );
      } catch (err) {
        this.opts.onError?.(err);
      }
    });
    return this.writing;
  }

  /**
   * Closes the log for the attempt's final write: waits for batches already going out and hands
   * back the rest (decoder tails and the truncation notice included), so the caller writes them
   * with the result, just before it — for a short job, its whole log. Call `published()` once
   * they are stored.
   */
  async closeForFinish(): Promise<LogChunk[]> {
    this.finishTail();
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    await this.writing;
    const rest = this.pending;
    this.pending = [];
    return rest;
  }

  /** Announces chunks the caller stored (see closeForFinish). */
  published(chunks: LogChunk[]): void {
    if (chunks.length === 0) return;
    this.opts.onPersisted?.(
      chunks.map((c) => ({ seq: c.seq, attempt: c.attempt, stream: c.stream, at: c.at.toISOString(), text: c.text })),
    );
  }

  private finishTail(): void {
    if (this.closed) return;
    for (const stream of ['stdout', 'stderr'] as const) {
      const tail = this.decoders[stream].end();
      if (tail.length > 0) this.append(stream, tail);
    }
    for (const [stream, text] of this.held.release(() => true)) this.chunk(stream, text);
    if (this.droppedBytes > 0) {
      this.append(
        'system',
        `[log truncated] output past ${this.opts.capBytes} bytes was not kept: ${this.droppedBytes} more bytes were discarded\n`,
      );
    }
    this.closed = true;
  }

  /** Flushes the decoders' tails and the truncation notice, then waits for every write. */
  async close(): Promise<void> {
    this.finishTail();
    return this.flush();
  }
}
