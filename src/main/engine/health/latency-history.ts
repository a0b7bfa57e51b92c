import type { LatencySample } from '../../../shared/types';

/** How far back the dashboard's sparklines reach. */
export const HISTORY_WINDOW_MS = 15 * 60_000;

/**
 * The latencies of one service's health probes over the last `windowMs`, in a fixed ring of
 * `capacity` slots: no allocation per probe, and memory bounded however long the node runs. A
 * failed probe is kept as `null`, so an outage shows as a gap rather than disappearing. The probes
 * themselves fill it (health-monitor.ts): the history costs no extra command to Redis or MySQL.
 */
export class LatencyHistory {
  private readonly at: Float64Array;
  private readonly ms: Float64Array;
  /** The next slot to write; `size` slots before it hold samples, oldest at `next - size`. */
  private next = 0;
  private size = 0;

  constructor(
    readonly capacity: number,
    readonly windowMs: number = HISTORY_WINDOW_MS,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.at = new Float64Array(capacity);
    this.ms = new Float64Array(capacity);
  }

  /** Records one probe: its time (epoch ms) and latency, or null when it failed. */
  add(atMs: number, latencyMs: number | null): void {
    this.at[this.next] = atMs;
    // NaN stands for a failed probe inside the typed array.
    this.ms[this.next] = latencyMs ?? Number.NaN;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** The samples taken within the window before `nowMs`, oldest first. */
  samples(nowMs: number): LatencySample[] {
    const from = nowMs - this.windowMs;
    const out: LatencySample[] = [];
    for (let i = 0; i < this.size; i++) {
      const slot = (this.next - this.size + i + this.capacity) % this.capacity;
      const at = this.at[slot] as number;
      if (at < from || at > nowMs) continue;
      const ms = this.ms[slot] as number;
      out.push({ at: new Date(at).toISOString(), latencyMs: Number.isNaN(ms) ? null : ms });
    }
    return out;
  }
}

/** A ring that holds a full window of probes taken every `everyMs`, with room for timer jitter. */
export function historyFor(everyMs: number, windowMs: number = HISTORY_WINDOW_MS): LatencyHistory {
  return new LatencyHistory(Math.ceil((windowMs / everyMs) * 1.1) + 1, windowMs);
}
