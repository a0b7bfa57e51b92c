/**
 * How big the engine's batches were: claims (ids claimed in one transaction), finishes (results
 * written in one), creates (jobs inserted in one) and acks (ids removed from Redis in one command). Kept per process, read by the benchmark to
 * show what batching did under its load; nothing in the engine decides by it.
 */
export type BatchKind = 'claim' | 'finish' | 'create' | 'ack';

const sizes: Record<BatchKind, Map<number, number>> = {
  claim: new Map(),
  finish: new Map(),
  create: new Map(),
  ack: new Map(),
};

export function recordBatch(kind: BatchKind, size: number): void {
  const seen = sizes[kind];
  seen.set(size, (seen.get(size) ?? 0) + 1);
}

export interface BatchSummary {
  batches: number;
  items: number;
  mean: number;
  max: number;
}

export function batchSummary(kind: BatchKind): BatchSummary {
  let batches = 0;
  let items = 0;
  let max = 0;
  for (const [size, count] of sizes[kind]) {
    batches += count;
    items += size * count;
    max = Math.max(max, size);
  }
  return { batches, items, mean: batches ? items / batches : 0, max };
}

export function resetBatchStats(): void {
  for (const seen of Object.values(sizes)) seen.clear();
}
