import { recordBatch, type BatchKind } from './batch-stats';

/** One item's own answer from a group write: its value, or its own error. */
export type Settled<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface GroupLimits<I> {
  /** The most items one write carries. */
  maxItems: number;
  /** An item's size (its log text, say) and the most a write may carry of it. */
  weight?: (item: I) => number;
  maxWeight?: number;
}

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: items submitted while a write is in flight go together in the next write, one
 * transaction for all of them, as River's batch completer and InnoDB's own group commit do. When
 * nothing is in flight an item is written at once (with whatever else arrived in the same turn of
 * the event loop), so grouping adds no latency at low load and grows with the load by itself.
 *
 * Each caller hears back only once the write that carried its item has settled, with its own
 * value or its own error (`writeGroup` returns one per item, in order).
 */
export class GroupCommit<I, O> {
  private pending: Pending<I, O>[] = [];
  private writing = false;

  constructor(
    private readonly kind: BatchKind,
    private readonly writeGroup: (items: I[]) => Promise<Settled<O>[]>,
    private readonly limits: GroupLimits<I>,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.writing) return;
      this.writing = true;
      queueMicrotask(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) await this.write(this.next());
    } finally {
      this.writing = false;
    }
  }

  private next(): Pending<I, O>[] {
    const { maxItems, weight, maxWeight = Infinity } = this.limits;
    let carried = 0;
    let n = 0;
    while (n < this.pending.length && n < maxItems) {
      carried += weight ? weight(this.pending[n]!.item) : 0;
      if (n > 0 && carried > maxWeight) break;
      n += 1;
    }
    return this.pending.splice(0, n);
  }

  private async write(group: Pending<I, O>[]): Promise<void> {
    recordBatch(this.kind, group.length);
    let settled: Settled<O>[];
    try {
      settled = await this.writeGroup(group.map((p) => p.item));
    } catch (err) {
      settled = group.map(() => ({ ok: false, error: err }));
    }
    group.forEach((p, i) => {
      const s = settled[i] ?? { ok: false, error: new Error('group write gave no answer for this item') };
      if (s.ok) p.resolve(s.value);
      else p.reject(s.error);
    });
  }
}

/** Runs `fn` and wraps its outcome as one item's answer. */
export async function settle<O>(fn: () => Promise<O>): Promise<Settled<O>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, error };
  }
}
