import type { LogEntry, LogStream } from '../../../../../shared/types';
import { carryPrefix, plainText, sgrCarryAfter } from './ansi';

/**
 * The log as lines. Entries are chunks of output as the runner read them: one may hold many lines
 * or part of one. They are split once, as they arrive, into lines numbered from 1; a line only
 * ever grows (its newline had not arrived yet), so a number names the same line for good and a
 * link to line n stays right while the job writes more.
 */
export interface LogLine {
  /** 1-based, stable. */
  number: number;
  stream: LogStream;
  attempt: number;
  /** When the line's first chunk was written (ISO). */
  at: string;
  /** The line's own text as written, escape codes included, without its newline. */
  raw: string;
  /** The SGR state carried from the line before on the same stream, to render `raw` in. */
  prefix: string;
  /** `raw` with a carriage return's overwrite applied: what is rendered. */
  shown: string;
  /** `shown` without escape codes: what search reads, and download writes. */
  plain: string;
  /** The first line of its attempt: where a retry begins. */
  attemptStart: boolean;
}

export interface LineModel {
  readonly lines: readonly LogLine[];
  /** The last line still waits for its newline (and on which stream it does). */
  openStream: LogStream | null;
  /** The SGR state at the end of each stream's last line. */
  carry: Record<LogStream, string>;
  /** When each attempt wrote its first output: "time since start" counts from there. */
  attemptStartAt: Map<number, number>;
}

export function emptyLineModel(): LineModel {
  return { lines: [], openStream: null, carry: { stdout: '', stderr: '', system: '' }, attemptStartAt: new Map() };
}

/**
 * What a terminal shows of text with carriage returns: a progress bar redraws the line after each
 * `\r`, so the last redraw is the line. A trailing `\r` (half of a `\r\n`) is not a redraw.
 */
function afterCarriageReturn(raw: string): string {
  const text = raw.endsWith('\r') ? raw.replace(/\r+$/, '') : raw;
  const cut = text.lastIndexOf('\r');
  return cut < 0 ? text : text.slice(cut + 1);
}

function finished(line: LogLine): LogLine {
  line.shown = afterCarriageReturn(line.raw);
  line.plain = plainText(line.shown);
  return line;
}

/**
 * The model with entries added, in the order given (seq order, as the slice keeps them). The
 * model given is left as it was. Cost is the entries' own text plus a copy of the line array
 * (pointers only): nothing already split is split again. An open line continues only with the
 * same stream and attempt; stderr cutting into a half-written stdout line ends it.
 */
export function appendEntries(model: LineModel, entries: readonly LogEntry[]): LineModel {
  if (entries.length === 0) return model;
  const lines = model.lines.slice();
  const carry = { ...model.carry };
  const attemptStartAt = new Map(model.attemptStartAt);
  let openStream = model.openStream;
  for (const entry of entries) {
    if (!attemptStartAt.has(entry.attempt)) attemptStartAt.set(entry.attempt, Date.parse(entry.at));
    if (entry.text === '') continue;
    const last = lines[lines.length - 1];
    const continues = last !== undefined && openStream === entry.stream && last.attempt === entry.attempt;
    const parts = entry.text.split('\n');
    parts.forEach((part, i) => {
      const isLast = i === parts.length - 1;
      if (i === 0 && continues && last !== undefined) {
        // A new object, not the old one changed: a rendered row compares lines by identity.
        lines[lines.length - 1] = finished({ ...last, raw: last.raw + part });
      } else if (!(isLast && part === '')) {
        const previous = lines[lines.length - 1];
        lines.push(
          finished({
            number: lines.length + 1,
            stream: entry.stream,
            attempt: entry.attempt,
            at: entry.at,
            raw: part.endsWith('\r') && !isLast ? part.slice(0, -1) : part,
            prefix: carryPrefix(carry[entry.stream]),
            shown: '',
            plain: '',
            attemptStart: previous === undefined || previous.attempt !== entry.attempt,
          }),
        );
      }
      carry[entry.stream] = sgrCarryAfter(carry[entry.stream], part);
    });
    openStream = entry.text.endsWith('\n') ? null : entry.stream;
  }
  return { lines, openStream, carry, attemptStartAt };
}

/** Lines split from entries in one go: for tests and for a log read whole. */
export function linesOf(entries: readonly LogEntry[]): readonly LogLine[] {
  return appendEntries(emptyLineModel(), entries).lines;
}

/** How many attempts wrote to the log: with more than one, each attempt's first line is marked. */
export function attemptCount(model: LineModel): number {
  return model.attemptStartAt.size;
}
