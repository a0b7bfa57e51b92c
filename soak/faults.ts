import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startPrivateMariadb, startPrivateRedis } from '../scripts/private-servers.mjs';
import type { Prng } from './prng';
import type { RunLog } from './run-log';
import { removeFile, type Cluster } from './setup';

export const FAULT_KINDS = [
  'node.kill',
  'node.drain',
  'redis.restart-empty',
  'redis.flushall',
  'redis.restore-snapshot',
  'mysql.freeze',
  'mysql.restart',
  'mysql.partition',
  'clock.jump',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface PlannedFault {
  kind: FaultKind;
  /** The pause before it, after the previous fault ended. */
  gapMs: number;
  /** How long the thing stays broken (a node down, MySQL frozen or cut off). */
  downMs: number;
  node: string;
  /** clock.jump: how far the node's wall clock moves (negative: set back). */
  jumpMs: number;
  /** Whether a Redis snapshot is taken before it (what a later restore goes back to). */
  snapshotFirst: boolean;
}

export interface FaultWindow {
  kind: FaultKind;
  node: string | null;
  startMs: number;
  endMs: number;
}

/**
 * The seeded fault plan: kinds drawn from a bag holding each kind once, refilled and shuffled when
 * empty, so even a one-minute run meets most kinds; gaps of 2–8 s; outages as the issue states
 * (MySQL frozen 5–15 s; a partition longer than the 3.5 s after which the cut-off node fences).
 */
export function planFaults(rand: Prng, count: number, nodes: readonly string[]): PlannedFault[] {
  const out: PlannedFault[] = [];
  let bag: FaultKind[] = [];
  for (let i = 0; i < count; i++) {
    if (bag.length === 0) bag = rand.shuffle(FAULT_KINDS);
    const kind = bag.pop()!;
    const downMs =
      kind === 'mysql.freeze'
        ? rand.int(5_000, 15_000)
        : kind === 'mysql.partition'
          ? rand.int(6_000, 10_000)
          : rand.int(300, 3_000);
    out.push({
      kind,
      gapMs: rand.int(2_000, 8_000),
      downMs,
      node: kind === 'mysql.partition' ? 'c' : rand.pick(nodes),
      jumpMs: (rand.chance(0.5) ? 1 : -1) * rand.int(10_000, 120_000),
      snapshotFirst: rand.chance(0.35),
    });
  }
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class FaultInjector {
  readonly windows: FaultWindow[] = [];
  readonly counts = new Map<FaultKind, number>();
  private readonly clockOffsets = new Map<string, number>();
  private snapshotTaken = false;

  constructor(
    private readonly cluster: Cluster,
    private readonly log: RunLog,
    private readonly print: (line: string) => void,
    /**
     * Readies a fault: a burst through the node about to be drained (so the drain comes
     * mid-burst), long jobs running on the node about to be cut off (so its fence has work).
     */
    private readonly prepare: (fault: PlannedFault) => Promise<void> = async () => undefined,
  ) {}

  private get snapshotFile(): string {
    return path.join(this.cluster.servers.redisDir, 'soak-snapshot.rdb');
  }

  private get dumpFile(): string {
    return path.join(this.cluster.servers.redisDir, 'dump.rdb');
  }

  /** SAVE, then keeps a copy: the "older snapshot" a later restore brings back. */
  async snapshotRedis(): Promise<void> {
    const client = new Redis(this.cluster.servers.redis.url, { maxRetriesPerRequest: 1 });
    try {
      await client.save();
    } finally {
      client.disconnect();
    }
    copyFileSync(this.dumpFile, this.snapshotFile);
    removeFile(this.dumpFile);
    this.snapshotTaken = true;
    this.log.event('redis.snapshot');
  }

  /** Runs the plan until `untilMs` (soak time) has passed; one fault at a time. */
  async run(plan: PlannedFault[], untilMs: number): Promise<void> {
    await this.snapshotRedis();
    for (const f of plan) {
      await sleep(f.gapMs);
      if (Date.now() - this.log.started + f.downMs > untilMs) break;
      if (f.snapshotFirst) await this.snapshotRedis();
      const startMs = Date.now() - this.log.started;
      const node =
        f.kind.startsWith('node.') || f.kind === 'clock.jump' || f.kind === 'mysql.partition' ? f.node : null;
      this.log.event('fault.start', { ...f, node });
      this.print(`[soak] +${(startMs / 1000).toFixed(1)} s fault ${f.kind}${node ? ` on ${node}` : ''}`);
      await this.inject(f);
      const endMs = Date.now() - this.log.started;
      this.windows.push({ kind: f.kind, node, startMs, endMs });
      this.counts.set(f.kind, (this.counts.get(f.kind) ?? 0) + 1);
      this.log.event('fault.end', { kind: f.kind, node, tookMs: endMs - startMs });
    }
  }

  private async inject(f: PlannedFault): Promise<void> {
    const { servers, nodes } = this.cluster;
    const node = nodes.find((n) => n.name === f.node)!;
    switch (f.kind) {
      case 'node.kill':
        await node.kill();
        await sleep(f.downMs);
        await node.start();
        return;
      case 'node.drain':
        await this.prepare(f);
        await node.drain();
        await sleep(f.downMs);
        await node.start();
        return;
      case 'redis.restart-empty':
        await this.restartRedis(f.downMs, null);
        return;
      case 'redis.restore-snapshot':
        await this.restartRedis(f.downMs, this.snapshotTaken ? this.snapshotFile : null);
        return;
      case 'redis.flushall': {
        const client = new Redis(servers.redis.url, { maxRetriesPerRequest: 1 });
        try {
          await client.flushall();
        } finally {
          client.disconnect();
        }
        return;
      }
      case 'mysql.freeze': {
        const pid = servers.mariadb.child.pid!;
        process.kill(pid, 'SIGSTOP');
        try {
          await sleep(f.downMs);
        } finally {
          process.kill(pid, 'SIGCONT');
        }
        return;
      }
      case 'mysql.restart': {
        const { port, dir } = servers.mariadb;
        await servers.mariadb.stop({ keepDir: true });
        await sleep(f.downMs);
        servers.mariadb = await startPrivateMariadb({ dir, port });
        return;
      }
      case 'mysql.partition':
        await this.prepare(f);
        servers.proxy.cut();
        try {
          await sleep(f.downMs);
        } finally {
          servers.proxy.restore();
        }
        return;
      case 'clock.jump': {
        const offset = (this.clockOffsets.get(f.node) ?? 0) + f.jumpMs;
        this.clockOffsets.set(f.node, offset);
        writeFileSync(this.cluster.clockFiles.get(f.node)!, String(offset));
        // The watcher compares the clocks every 5 s: let it see the jump inside the window.
        await sleep(6_000);
        return;
      }
    }
  }

  /** Kills Redis and starts it again on its port and folder, from `dump` or empty. */
  private async restartRedis(downMs: number, dump: string | null): Promise<void> {
    const { servers } = this.cluster;
    const { port } = servers.redis;
    await servers.redis.stop({ keepDir: true });
    removeFile(this.dumpFile);
    if (dump && existsSync(dump)) copyFileSync(dump, this.dumpFile);
    await sleep(downMs);
    // The dump stays until the next restart removes it (Redis may still be reading it now).
    servers.redis = await startPrivateRedis({ port, dir: servers.redisDir });
  }
}
