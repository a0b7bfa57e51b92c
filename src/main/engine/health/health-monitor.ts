import type { Redis } from 'ioredis';
import type { Pool } from 'mysql2/promise';
import type { Health, ServiceHealth, ServiceStatus } from '../../../shared/types';

export type ServiceName = 'redis' | 'mysql';

const PROBE_TIMEOUT_MS = 1_500;

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
 * every second catches a server that hangs without closing the socket, so "down" shows within
 * 2 s. Others wait on `whenUp` instead of retrying in a loop.
 */
export class HealthMonitor {
  private readonly state: Record<ServiceName, ServiceHealth> = {
    redis: { status: 'down', latencyMs: null, error: 'not connected yet', since: new Date().toISOString() },
    mysql: { status: 'down', latencyMs: null, error: 'not connected yet', since: new Date().toISOString() },
  };
  private readonly upWaiters: Record<ServiceName, (() => void)[]> = { redis: [], mysql: [] };
  private timer: NodeJS.Timeout | null = null;
  private probing = false;
  runId: string | null = null;
  journalPending = 0;

  constructor(
    private readonly redis: Redis,
    private readonly pool: Pool,
    private readonly onChange: (service: ServiceName, status: ServiceStatus) => void,
    private readonly afterRedisProbe: () => Promise<void> = async () => undefined,
    private readonly afterMysqlProbe: (ok: boolean) => Promise<void> = async () => undefined,
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

  start(intervalMs = 1_000): void {
    this.timer = setInterval(() => void this.probe(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async probe(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      await Promise.all([this.probeRedis(), this.probeMysql()]);
    } finally {
      this.probing = false;
    }
  }

  private async probeRedis(): Promise<void> {
    const started = performance.now();
    try {
      await withTimeout(this.redis.ping(), PROBE_TIMEOUT_MS);
      const latency = Math.round((performance.now() - started) * 10) / 10;
      // 'recovering' is ended by the recovery itself, not by a successful ping.
      if (this.state.redis.status === 'recovering') this.state.redis.latencyMs = latency;
      else this.set('redis', 'up', null, latency);
      await this.afterRedisProbe();
    } catch (err) {
      this.set('redis', 'down', (err as Error).message);
    }
  }

  private async probeMysql(): Promise<void> {
    const started = performance.now();
    try {
      await withTimeout(this.pool.query('SELECT 1'), PROBE_TIMEOUT_MS);
      this.set('mysql', 'up', null, Math.round((performance.now() - started) * 10) / 10);
    } catch (err) {
      this.set('mysql', 'down', (err as Error).message);
      await this.afterMysqlProbe(false).catch(() => undefined);
      return;
    }
    await this.afterMysqlProbe(true).catch(() => undefined);
  }

  snapshot(node: Health['node']): Health {
    return {
      redis: { ...this.state.redis, runId: this.runId },
      mysql: { ...this.state.mysql, journalPending: this.journalPending },
      node,
    };
  }
}
