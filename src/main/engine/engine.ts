import os from 'node:os';
import { Redis } from 'ioredis';
import type { Pool } from 'mysql2/promise';
import type { Health } from '../../shared/types';
import type { EngineConfig } from './config';
import { redactUrl } from './config';
import { SecretBox } from './secrets/secret-box';
import { loadSecretKey, type KeyProtector, type KeySource } from './secrets/secret-key';
import { claimMeta } from './store/meta';
import { coalesced } from './coalesced';
import { ClockJumpWatcher, type ClockJump, type Clocks } from './recovery/clock-jump';
import type { EngineContext, FaultHooks, Logger, NodeSignal } from './context';
import { Dispatcher } from './dispatch/dispatcher';
import { EventBus } from './events/event-bus';
import { SelfFence } from './recovery/fencing';
import { HealthMonitor, type ServiceName } from './health/health-monitor';
import { DurableRecorder } from './execution/durable-recorder';
import { JobRunner } from './execution/job-runner';
import { Journal } from './execution/journal';
import { ProcessRegistry } from './execution/process-registry';
import { loadNodeId } from './node-identity';
import { queueKeys } from './queue/keys';
import { RedisQueue } from './queue/redis-queue';
import { Recovery } from './recovery/redis-state';
import { Scheduler } from './dispatch/promoter';
import { TasksService } from './intake/task-lifecycle';
import { createPool, ensureDatabase, parseMysqlUrl } from './store/db';
import { appendEvent, type NewEvent } from './store/events';
import { migrate } from './store/migrations';
import { markNodeStopped, registerNode } from './store/nodes';
import { WakeSignal } from './dispatch/wake-signal';

export const ENGINE_VERSION = '0.1.0';

export interface EngineOptions {
  logger?: Logger;
  faults?: FaultHooks;
  /** Protects the data dir's secret key where the platform has a keychain (Electron's safeStorage). */
  keyProtector?: KeyProtector;
  /** The sleep / clock-change watcher's clocks and check period (tests drive them). */
  clockWatch?: { clocks?: Clocks; checkMs?: number };
}

/** How often the clocks are compared, and the drift that counts as a sleep or a clock change. */
const CLOCK_CHECK_MS = 5_000;
const CLOCK_JUMP_MS = 5_000;
/** How often a node cut off from MySQL looks whether it must fence itself off (fencing.ts). */
const FENCE_CHECK_MS = 500;

const consoleLogger: Logger = {
  info: (m) => console.log(`[tickr] ${m}`),
  warn: (m) => console.warn(`[tickr] ${m}`),
  error: (m) => console.error(`[tickr] ${m}`),
};

/**
 * The composition root: builds the engine's parts, starts them in order and stops them in the
 * reverse order, draining running jobs (invariant 9). Plain Node: it never imports Electron
 * (invariant 10), so the desktop app and `tickr serve` run the same code.
 */
export class Engine {
  readonly bus = new EventBus();
  readonly nodeId: string;
  private ctx: EngineContext | null = null;
  private tasks: TasksService | null = null;
  private runner: JobRunner | null = null;
  private dispatcher: Dispatcher | null = null;
  private scheduler: Scheduler | null = null;
  private recovery: Recovery | null = null;
  private fence: SelfFence | null = null;
  private recorder: DurableRecorder | null = null;
  private timers: NodeJS.Timeout[] = [];
  private clockWatcher: ClockJumpWatcher | null = null;
  private readonly reevaluate = coalesced(
    async () => {
      if (!this.tasks || !this.ctx) return;
      await this.tasks
        .reconcileSchedules()
        .catch((err: Error) => this.log.warn(`schedules not re-evaluated: ${err.message}`));
      this.ctx.wake.notify();
    },
    () => !this.stopping,
  );
  private connections: Redis[] = [];
  private stopping: Promise<void> | null = null;
  private draining = false;

  constructor(
    readonly config: EngineConfig,
    private readonly options: EngineOptions = {},
  ) {
    this.nodeId = loadNodeId(config.dataDir);
  }

  private get log(): Logger {
    return this.options.logger ?? consoleLogger;
  }

  /** The shared parts, for the API layer. Throws before start. */
  get context(): EngineContext {
    if (!this.ctx) throw new Error('engine not started');
    return this.ctx;
  }

  get taskService(): TasksService {
    if (!this.tasks) throw new Error('engine not started');
    return this.tasks;
  }

  get recoveryService(): Recovery {
    if (!this.recovery) throw new Error('engine not started');
    return this.recovery;
  }

  get runningCount(): number {
    return this.runner?.count ?? 0;
  }

  /**
   * Re-evaluates recurring schedules: at start, when the desktop app wakes from sleep, and when
   * the clock watcher sees the machine slept or its clock was set (the timers slept too). Tasks
   * that missed occurrences get their catch-up policy; the scheduler is woken so overdue
   * occurrences are claimed now (docs/scheduling.md). Calls that arrive while one runs share one
   * more run after it, so a resume seen by both powerMonitor and the watcher costs two at most.
   */
  reevaluateSchedules(): Promise<void> {
    return this.reevaluate();
  }

  /**
   * Says where the secret key comes from, and warns when it is not the key the first node on this
   * database had: secrets sealed there cannot be opened here, and their jobs fail with the reason.
   */
  private async checkSecretKey(source: KeySource, file: string | null): Promise<void> {
    const ctx = this.context;
    const where =
      source === 'config'
        ? 'from TICKR_SECRET_KEY'
        : source === 'keychain'
          ? `in ${file}, protected by the OS keychain`
          : `in ${file} (readable by this user only)`;
    this.log.info(`secret key ${ctx.secrets.keyId} ${where}`);
    const clusterKey = await claimMeta(ctx.pool, 'secret_key_id', ctx.secrets.keyId);
    if (clusterKey === ctx.secrets.keyId) return;
    const message = `this node's secret key ${ctx.secrets.keyId} is not the key ${clusterKey} of the first node on this database: tasks whose secrets were sealed with it fail here. Give every node the same key (TICKR_SECRET_KEY).`;
    this.log.warn(message);
    await ctx.recordEvent({
      level: 'warn',
      kind: 'secrets.key_mismatch',
      message,
      data: { nodeKey: ctx.secrets.keyId, clusterKey },
    });
  }

  private onClockJump(jump: ClockJump): void {
    const seconds = (jump.driftMs / 1000).toFixed(1);
    const message =
      jump.driftMs > 0
        ? `the wall clock moved ${seconds} s further than the timers (the machine slept or its clock was set): schedules re-evaluated`
        : `the wall clock was set back ${seconds.replace('-', '')} s: schedules re-evaluated`;
    this.log.info(message);
    void this.reevaluateSchedules().then(() =>
      this.ctx?.recordEvent({ level: 'info', kind: 'clock.jumped', message, data: { driftMs: jump.driftMs } }),
    );
  }

  async start(): Promise<void> {
    const { config } = this;
    // First, before anything is touched: a key file that cannot be read stops the start.
    const secretKey = await loadSecretKey({
      configKey: config.secretKey,
      dataDir: config.dataDir,
      protector: this.options.keyProtector,
    });
    const secrets = new SecretBox(secretKey.key);
    const target = parseMysqlUrl(config.mysqlUrl);
    await ensureDatabase(target);
    // Every worker may hold a connection in its claim or finish while API calls, the heartbeat and
    // the scheduler need their own: twice the workers keeps the API from queueing behind them.
    const pool: Pool = createPool(target, Math.max(10, config.concurrency * 2 + 4));
    await migrate(pool, target.database);

    // Reconnect with a back-off capped at 500 ms, so queues are back within a second of Redis.
    const retryStrategy = (times: number): number => Math.min(50 * 2 ** Math.min(times, 4), 500);
    const redisOptions = {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      lazyConnect: true,
      connectTimeout: 5_000,
      retryStrategy,
    };
    const redis = new Redis(config.redisUrl, { ...redisOptions, connectionName: `tickr:${this.nodeId}:main` });
    const blocking = new Redis(config.redisUrl, {
      ...redisOptions,
      maxRetriesPerRequest: null,
      connectionName: `tickr:${this.nodeId}:take`,
    });
    const subscriber = new Redis(config.redisUrl, {
      lazyConnect: true,
      connectTimeout: 5_000,
      retryStrategy,
      connectionName: `tickr:${this.nodeId}:signals`,
    });
    this.connections = [redis, blocking, subscriber];
    for (const c of this.connections) c.on('error', () => undefined); // status comes from HealthMonitor

    const keys = queueKeys(config.redisPrefix);
    const queue = new RedisQueue(redis, blocking, keys, this.nodeId);
    const wake = new WakeSignal();
    const health = new HealthMonitor(
      redis,
      pool,
      (service, status) => this.onHealthChange(service, status),
      () => this.recovery?.quickCheck() ?? Promise.resolve(),
      (ok) => this.fence?.afterMysqlProbe(ok) ?? Promise.resolve(),
    );

    const ctx: EngineContext = {
      config,
      nodeId: this.nodeId,
      pool,
      redis,
      queue,
      bus: this.bus,
      health,
      wake,
      log: this.log,
      secrets,
      faults: this.options.faults ?? {},
      publish: async (signal: NodeSignal) => {
        await redis.publish(keys.signals, JSON.stringify(signal));
      },
      recordEvent: async (event: Omit<NewEvent, 'nodeId'>) => {
        try {
          const appended = await appendEvent(pool, { ...event, nodeId: this.nodeId }, new Date());
          this.bus.emit('event.appended', appended);
        } catch (err) {
          this.log.warn(`event not recorded (${(err as Error).message}): ${event.message}`);
        }
      },
    };
    this.ctx = ctx;
    this.tasks = new TasksService(ctx);
    const processes = new ProcessRegistry(config.dataDir);
    this.recorder = new DurableRecorder(ctx, new Journal(config.dataDir), (pending) => {
      health.journalPending = pending;
      this.bus.emit('health.changed', this.health());
    });
    health.journalPending = this.recorder.journal.size;
    this.runner = new JobRunner(ctx, this.recorder, processes);
    const fence = new SelfFence(ctx, this.runner, keys.mysqlProbes);
    this.fence = fence;
    this.recovery = new Recovery(
      ctx,
      this.runner,
      processes,
      () => this.recorder?.journal.size ?? 0,
      () => fence.renewed(),
    );
    this.dispatcher = new Dispatcher(ctx, this.runner);
    this.scheduler = new Scheduler(ctx, () => void queue.interruptTake());

    await registerNode(
      pool,
      {
        id: this.nodeId,
        name: config.nodeName,
        host: os.hostname(),
        pid: process.pid,
        concurrency: config.concurrency,
        version: ENGINE_VERSION,
      },
      new Date(),
    );
    health.set('mysql', 'up');

    redis.on('close', () => health.set('redis', 'down', 'connection closed'));
    redis.on('ready', () => void this.onRedisReady());
    subscriber.on('message', (_channel: string, message: string) => this.onSignal(message));
    await Promise.all(
      this.connections.map((c) => c.connect().catch((err: Error) => this.log.warn(`redis: ${err.message}`))),
    );
    // Not awaited: with Redis down at start this waits for the connection (ioredis queues it and
    // subscribes again after every reconnect), and the node must start anyway.
    subscriber.subscribe(keys.signals).catch((err: Error) => this.log.warn(`redis subscribe: ${err.message}`));
    if (redis.status === 'ready') await this.onRedisReady();

    health.start();
    // Results a previous run journaled while MySQL was down go in before anything new.
    await this.recorder.replay().catch((err: Error) => this.log.warn(`journal replay failed: ${err.message}`));
    await this.recovery.reapOwnOrphans().catch((err: Error) => this.log.warn(`orphan reaping failed: ${err.message}`));
    await this.reevaluateSchedules();
    await this.checkSecretKey(secretKey.source, secretKey.file);

    this.scheduler.start();
    this.dispatcher.start();
    this.clockWatcher = new ClockJumpWatcher({
      checkMs: this.options.clockWatch?.checkMs ?? CLOCK_CHECK_MS,
      thresholdMs: CLOCK_JUMP_MS,
      clocks: this.options.clockWatch?.clocks,
      onJump: (jump) => this.onClockJump(jump),
    });
    this.clockWatcher.start();
    this.every(config.heartbeatMs, () => this.recovery?.heartbeat());
    this.every(FENCE_CHECK_MS, () => this.fence?.check());
    this.every(config.sweepMs, () => this.recovery?.sweep());
    await ctx.recordEvent({
      level: 'info',
      kind: 'node.started',
      message: `node ${config.nodeName} started (concurrency ${config.concurrency}, Redis ${redactUrl(config.redisUrl)}, MySQL ${redactUrl(config.mysqlUrl)})`,
      data: { nodeId: this.nodeId },
    });
  }

  private every(ms: number, fn: () => Promise<unknown> | undefined): void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      Promise.resolve(fn())
        .catch((err: unknown) => this.log.warn(`${(err as Error).message}`))
        .finally(() => {
          busy = false;
        });
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private redisRecovery: Promise<void> | null = null;

  /** On every (re)connect: check Redis's state and rebuild it from MySQL if it was lost. */
  private onRedisReady(): Promise<void> {
    if (this.redisRecovery) return this.redisRecovery;
    const ctx = this.ctx;
    if (!ctx || !this.recovery) return Promise.resolve();
    ctx.queue.resetBlockingClient();
    ctx.health.set('redis', 'recovering');
    this.redisRecovery = (async () => {
      for (let attempt = 0; !this.stopping; attempt++) {
        try {
          await this.recovery!.checkRedisState();
          ctx.health.set('redis', 'up');
          ctx.wake.notify();
          // Pushes that failed while Redis was away are in MySQL only: queue them now, not at the next sweep.
          void this.recovery!.sweep().catch((err: Error) =>
            ctx.log.warn(`sweep after reconnect failed: ${err.message}`),
          );
          return;
        } catch (err) {
          ctx.log.warn(`redis recovery check failed: ${(err as Error).message}`);
          await new Promise((r) => setTimeout(r, Math.min(5_000, 250 * 2 ** Math.min(attempt, 5))));
          if (this.connections[0]?.status !== 'ready') return;
        }
      }
    })().finally(() => {
      this.redisRecovery = null;
    });
    return this.redisRecovery;
  }

  private onSignal(raw: string): void {
    let signal: NodeSignal;
    try {
      signal = JSON.parse(raw) as NodeSignal;
    } catch {
      return;
    }
    if (signal.type === 'wake' || signal.type === 'task-changed') this.ctx?.wake.notify();
    else if (signal.type === 'cancel') this.runner?.stop(signal.jobId, 'cancel');
  }

  private onHealthChange(service: ServiceName, status: string): void {
    this.log.info(`${service} is ${status}`);
    if (service === 'mysql') this.recovery?.mysqlStatusChanged(status);
    if (service === 'mysql' && status === 'up') {
      this.recorder?.replay().catch((err: Error) => this.log.warn(`journal replay failed: ${err.message}`));
    }
    if (this.ctx) this.bus.emit('health.changed', this.health());
  }

  health(): Health {
    const ctx = this.context;
    return ctx.health.snapshot({
      id: this.nodeId,
      name: this.config.nodeName,
      concurrency: this.config.concurrency,
      running: this.runningCount,
      draining: this.draining,
    });
  }

  /**
   * Drains and stops: stop taking jobs, let running ones finish up to drainTimeoutMs, then end
   * the rest (recorded as interrupted and retried), write final states, close connections.
   */
  stop(): Promise<void> {
    if (!this.stopping) this.stopping = this.doStop();
    return this.stopping;
  }

  /**
   * Stops at once, the way a crash (SIGKILL, power loss) would: no drain, no final writes, job
   * processes left running. For fault tests of what a restarted node must repair.
   */
  async halt(): Promise<void> {
    this.stopping = Promise.resolve();
    this.clockWatcher?.stop();
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.ctx?.health.stop();
    void this.dispatcher?.stopTaking();
    void this.scheduler?.stop();
    for (const c of this.connections) c.disconnect();
    await this.ctx?.pool.end().catch(() => undefined);
  }

  private async doStop(): Promise<void> {
    const ctx = this.ctx;
    if (!ctx) return;
    this.draining = true;
    this.clockWatcher?.stop();
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.dispatcher?.stopTaking();
    await this.scheduler?.stop();
    const drained = await this.dispatcher?.drain(this.config.drainTimeoutMs);
    if (drained === false) {
      this.log.warn(`shutdown: jobs still running after ${this.config.drainTimeoutMs} ms; ending them`);
      this.runner?.stopAll('shutdown');
    }
    await this.dispatcher?.settled();
    await this.dispatcher?.loopFinished();
    ctx.health.stop();
    await markNodeStopped(ctx.pool, this.nodeId, new Date()).catch(() => undefined);
    await ctx.recordEvent({
      level: 'info',
      kind: 'node.stopped',
      message: `node ${this.config.nodeName} stopped`,
      data: { nodeId: this.nodeId },
    });
    for (const c of this.connections) c.disconnect();
    await ctx.pool.end().catch(() => undefined);
  }
}
