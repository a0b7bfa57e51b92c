import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The run's folder: the seed, the event log (one JSON line per thing the soak did or saw, with
 * its time), everything the nodes emitted, and the summary. It is kept after the run, so a
 * failure can be read and its seed replayed.
 */
export class RunLog {
  readonly started = Date.now();

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }

  /** One line of events.ndjson; `t` is milliseconds since the soak started. */
  event(kind: string, data: Record<string, unknown> = {}): void {
    const line = JSON.stringify({ t: Date.now() - this.started, at: new Date().toISOString(), kind, ...data });
    appendFileSync(this.file('events.ndjson'), `${line}\n`);
  }

  append(name: string, text: string): void {
    appendFileSync(this.file(name), text);
  }

  write(name: string, text: string): void {
    writeFileSync(this.file(name), text);
  }
}
