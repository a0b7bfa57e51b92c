import type { PartContext } from '../context';
import { isStoreUnavailable } from '../store/errors';
import { GroupCommit, settle, type Settled } from '../group-commit';
import { finishAttempt, writeWholeGroup, type FinishWrite } from '../store/jobs';

/**
 * How much text a result carries into its group's one query: its last log chunks and its http
 * exchange (a hostile server's 100 headers of 2,000 characters each are 200,000). A group's
 * logs, jobs and attempt rows go to MySQL as one packet, which must stay well inside
 * max_allowed_packet (16 MiB by default on MariaDB, 64 MiB on MySQL 8).
 */
export function resultChars(w: FinishWrite): number {
  let n = 0;
  for (const c of w.logs ?? []) n += c.text.length;
  const x = w.result.http;
  if (x) {
    n += x.url.length + x.bodyHead.length + (x.error?.length ?? 0);
    for (const headers of [x.requestHeaders, x.responseHeaders])
      for (const [name, value] of Object.entries(headers)) n += name.length + value.length;
  }
  return n;
}

/**
 * Writes attempts' results in groups (group-commit.ts): the results that finish while a write is
 * in flight go in the next one: one transaction of three statements for all of them (the logs,
 * the jobs, the attempt rows). An idle node writes a result at once, alone, the same way.
 *
 * A result counts only once committed: each caller hears back after that (true: applied; false:
 * stale, its lease was taken over), so nothing is announced, retried or acknowledged before. A
 * group that does not apply whole, or that MySQL refuses, is written again result by result, so
 * each caller gets its own answer or its own error; MySQL being away fails each with that.
 */
export class Completer {
  private readonly group: GroupCommit<FinishWrite, boolean>;

  constructor(private readonly ctx: PartContext<'pool' | 'pipelinePool'>) {
    // 64 results and 2 MiB of their text at most (4 MiB escaped, at worst): well inside the packet.
    this.group = new GroupCommit('finish', (writes) => this.write(writes), {
      maxItems: 64,
      weight: resultChars,
      maxWeight: 2 * 1024 * 1024,
    });
  }

  finish(write: FinishWrite): Promise<boolean> {
    return this.group.submit(write);
  }

  private async write(writes: FinishWrite[]): Promise<Settled<boolean>[]> {
    const alone = (): Promise<Settled<boolean>[]> =>
      Promise.all(writes.map((w) => settle(() => finishAttempt(this.ctx.pool, w))));
    // A result with no other to group with goes the same way, as a group of one: its log in its
    // transaction is one commit, where finishAttempt's log on its own first is two (a commit is
    // an fsync). Only one that does not apply (stale) takes the way of each alone.
    try {
      // Each result applies to its job and its attempt row, or the group is written again one by one.
      if (await writeWholeGroup(this.ctx.pipelinePool, writes)) return writes.map(() => ({ ok: true, value: true }));
      return alone();
    } catch (err) {
      if (isStoreUnavailable(err)) return writes.map(() => ({ ok: false, error: err }));
      // Stale results in the group, or a value MySQL refuses: each on its own says which.
      return alone();
    }
  }
}
