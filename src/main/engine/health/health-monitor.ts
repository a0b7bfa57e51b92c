import type { Pool } from 'mysql2/promise';
import type { Health, ServiceHealth, ServiceStatus } from '../../../shared/types';
import { historyFor, type LatencyHistory } from './latency-history';

export type ServiceName = 'redis' | 'mysql';

/**
 * Redis is probed every 1.25 s with a 0.75 s timeout: a Redis that hangs without closing its
 * socket shows as down within 2 s, and an idle node sends it under one command a second (the
 * probe is its only regular command: docs/architecture.md). MySQL keeps a 1 s period and a more
 * patient 1.5 s timeout; a busy server answering SELECT 1 late is not an outage.
 */
export const PROBES = {
  redis: { everyMs: 1_250, timeoutMs: 750 },
  mysql: { everyMs: 1_000, timeoutMs: 1_500 },
} as const;

/**
 * How often the node reports its health without a change of status: the latencies move on the
 * dashboard's sparklines between changes, from events rather than a renderer that polls.
 */
export const REPORT_EVERY_MS = 10_000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/**
 * Knows whether Redis and MySQL are reachable. Connection events flip a status at once; a probe
 * of each service on its own period catches a server that hangs without closing the socket, so
 * "down" shows within 2 s (Redis) or 2.5 s (MySQL). Others wait on `whenUp` instead of retrying.
 */
export class HealthMonitor<R = unknown> {
  private readonly state: Record<ServiceName, ServiceHealth> = {
    redis: { status: 'down', latencyMs: null, error: 'not connected yet', since: new Date().toISOString() },
    mysql: { status: 'down', latencyMs: null, error: 'not connected yet', since: new Date().toISOString() },
  };
  private readonly upWaiters: Record<ServiceName, (() => void)[]> = { redis: [], mysql: [] };
  private timers: NodeJS.Timeout[] = [];
  private readonly probing = new Set<ServiceName>();
  runId: string | null = null;
  journalPending = 0;
  /** Every probe's latency (null when it failed) over the last 15 minutes, for the dashboard. */
  readonly history: Record<ServiceName, LatencyHistory> = {
    redis: historyFor(PROBES.redis.everyMs),
    mysql: historyFor(PROBES.mysql.everyMs),
  };
  /** Called every REPORT_EVERY_MS while started (the engine emits health.changed). */
  onReport: (() => void) | null = null;

  constructor(
    /**
     * The Redis probe: one command (RedisQueue.probe). `countMysql` says whether this node's last
     * MySQL probe succeeded, for the self-fence's counter; its answer goes to afterRedisProbe.
     */
    private readonly probeRedisWith: (countMysql: boolean) => Promise<R>,
    private readonly pool: Pool,
    private readonly onChange: (service: ServiceName, status: ServiceStatus) => void,
    private readonly afterRedisProbe: (answer: R, mysqlUp: boolean) => Promise<void> = async () => undefined,
  ) {}

  status(service: ServiceName): ServiceStatus {
    return this.state[service].status;
  }

  isUp(service: ServiceName): boolean {
    return this.state[service].status === 'up';
  }

  set(service: ServiceName, status: ServiceStatus, error: string | null = null, latencyMs: number | null = null): void {
    const s = this.state[service];
    if (latencyMs !== null) s.latencyMs = latencyMs;
    if (s.status === status) {
      s.error = error;
      return;
    }
    s.status = status;
    s.error = error;
    s.since = new Date().toISOString();
    if (status !== 'up') s.latencyMs = null;
    if (status === 'up') {
      const waiters = this.upWaiters[service];
      this.upWaiters[service] = [];
      for (const w of waiters) w();
    }
    this.onChange(service, status);
  }

  /** Resolves when `service` is up (at once if it is). */
  whenUp(service: ServiceName): Promise<void> {
    if (this.isUp(service)) return Promise.resolve();
    return new Promise((resolve) => this.upWaiters[service].push(resolve));
  }

  /** Wakes every waiter without the service being up, so a stopping engine is not stuck. */
  releaseWaiters(): void {
    for (const service of ['redis', 'mysql'] as const) {
      const waiters = this.upWaiters[service];
      this.upWaiters[service] = [];
      for (const w of waiters) w();
    }
  }

  start(): void {
    this.stop();
    for (const service of ['redis', 'mysql'] as const) {
      const timer = setInterval(() => void this.probeOnce(service), PROBES[service].everyMs);
      timer.unref();
      this.timers.push(timer);
    }
    const report = setInterval(() => this.onReport?.(), REPORT_EVERY_MS);
    report.unref();
    this.timers.push(report);
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** Probes both services now (each at most once at a time). */
  async probe(): Promise<void> {
    await Promise.all([this.probeOnce('redis'), this.probeOnce('mysql')]);
  }

  private async probeOnce(service: ServiceName): Promise<void> {
    // A probe still waiting for its answer is not doubled: its own timeout ends it.
    if (this.probing.has(service)) return;
    this.probing.add(service);
    try {
      await (service === 'redis' ? this.probeRedis() : this.probeMysql());
    } finally {
      this.probing.delete(service);
    }
  }

  private async probeRedis(): Promise<void> {
    const started = performance.now();
    // The MySQL probes run on their own, so the count is the last one's: a second late at most.
    const mysqlUp = this.isUp('mysql');
    try {
      const answer = await withTimeout(this.probeRedisWith(mysqlUp), PROBES.redis.timeoutMs);
      const latency = Math.round((performance.now() - started) * 10) / 10;
      this.history.redis.add(Date.now(), latency);
      // 'recovering' is ended by the recovery itself, not by a successful ping.
      if (this.state.redis.status === 'recovering') this.state.redis.latencyMs = latency;
      else this.set('redis', 'up', null, latency);
      await this.afterRedisProbe(answer, mysqlUp).catch(() => undefined);
    } catch (err) {
      this.history.redis.add(Date.now(), null);
      this.set('redis', 'down', (err as Error).message);
    }
  }

  private async probeMysql(): Promise<void> {
    const started = performance.now();
    try {
      await withTimeout(this.pool.query('SELECT 1'), PROBES.mysql.timeoutMs);
      const latency = Math.round((performance.now() - started) * 10) / 10;
      this.history.mysql.add(Date.now(), latency);
      this.set('mysql', 'up', null, latency);
    } catch (err) {
      this.history.mysql.add(Date.now(), null);
      this.set('mysql', 'down', (err as Error).message);
    }
  }

  snapshot(node: Health['node']): Health {
    return {
      redis: { ...this.state.redis, runId: this.runId },
      mysql: { ...this.state.mysql, journalPending: this.journalPending },
      node,
    };
  }
}
