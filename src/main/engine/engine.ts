import os from 'node:os';
import type { Health, ServiceStatus } from '../../shared/types';
import type { EngineConfig } from './config';
import { redactUrl } from './config';
import type { EngineContext, FaultHooks, Logger } from './context';
import { Dispatcher } from './dispatch/dispatcher';
import { handleNodeSignal, type NodeSignal } from './dispatch/node-signals';
import { Promoter } from './dispatch/promoter';
import { WakeSignal } from './dispatch/wake-signal';
import { EventBus } from './events/event-bus';
import { LoadAnnouncer } from './health/load-announcer';
import { BulkOperations } from './intake/bulk-operations';
import { OutageRecorder, systemEventRecorder } from './events/system-events';
import { DurableRecorder } from './execution/durable-recorder';
import { JobRunner } from './execution/job-runner';
import { Journal } from './execution/journal';
import { ProcessRegistry } from './execution/process-registry';
import { jobSpawner, type JobSpawner } from './execution/workers/spawner/spawner-client';
import type { StartHost } from './execution/workers/spawner/host-channel';
import { HealthMonitor, type ServiceName } from './health/health-monitor';
import { ServerInfoReader } from './health/server-info';
import { JobCommands } from './intake/job-commands';
import { TaskLifecycle } from './intake/task-lifecycle';
import { loadNodeId } from './node-identity';
import { openRedisConnections, type RedisConnections } from './queue/connections';
import { queueKeys } from './queue/keys';
import { RedisQueue, type RedisProbe } from './queue/redis-queue';
import { ClockJumpWatcher, type Clocks } from './recovery/clock-jump';
import { SelfFence } from './recovery/fencing';
import { LeaseKeeper } from './recovery/lease-keeper';
import { reapOwnOrphans } from './recovery/orphans';
import { RedisStateGuard } from './recovery/redis-state';
import { ScheduleRepair } from './recovery/schedule-repair';
import { SafetySweep } from './recovery/sweep';
import { Retention } from './retention/retention';
import { checkClusterKey } from './secrets/cluster-key';
import { SecretBox } from './secrets/secret-box';
import { loadSecretKey, type KeyProtector } from './secrets/secret-key';
import { createPool, ensureDatabase, openConnections, parseMysqlUrl, type DbTarget } from './store/db';
import type { NewEvent } from './store/events';
import { migrate } from './store/migrations';
import { markNodeStopped, registerNode } from './store/nodes';
import { StoreConnector } from './store/store-connector';

import { ENGINE_VERSION } from './version';

export { ENGINE_VERSION } from './version';

export interface EngineOptions {
  logger?: Logger;
  faults?: FaultHooks;
  /** Protects the data dir's secret key where the platform has a keychain (Electron's safeStorage). */
  keyProtector?: KeyProtector;
  /** The sleep / clock-change watcher's clocks and check period (tests drive them). */
  clockWatch?: { clocks?: Clocks; checkMs?: number };
  /** Starts the job spawner process; `node -e` when not given (the desktop app's: a utility process). */
  spawnerHost?: StartHost;
}

/** How often the clocks are compared, and the drift that counts as a sleep or a clock change. */
const CLOCK_CHECK_MS = 5_000;
const CLOCK_JUMP_MS = 5_000;

const consoleLogger: Logger = {
  info: (m) => console.log(`[tickr] ${m}`),
  warn: (m) => console.warn(`[tickr] ${m}`),
  error: (m) => console.error(`[tickr] ${m}`),
};

/** Connections of the pipelined transactions' pool: a completion group and a claim or two in flight at once. */
const PIPELINE_CONNECTIONS = 3;

/** A started engine's parts: built together by `start()`, so none is ever half there. */
interface Parts {
  ctx: EngineContext;
  redis: RedisConnections;
  tasks: TaskLifecycle;
  jobs: JobCommands;
  bulk: BulkOperations;
  runner: JobRunner;
  recorder: DurableRecorder;
  processes: ProcessRegistry;
  /** Forks shell jobs' processes (execution/workers/spawner). */
  spawner: JobSpawner;
  promoter: Promoter;
  dispatcher: Dispatcher;
  leases: LeaseKeeper;
  sweep: SafetySweep;
  fence: SelfFence;
  redisState: RedisStateGuard;
  repair: ScheduleRepair;
  clockWatcher: ClockJumpWatcher;
  serverInfo: ServerInfoReader;
  load: LoadAnnouncer;
  store: StoreConnector;
  retention: Retention;

  outages: OutageRecorder;
}

/**
 * One step of stopping. `stop()` runs every step in order and awaits each; `halt()` (a crash)
 * runs the same list but skips what a crash would not do (drain, final writes) and does not
 * wait for the loops to end.
 */
interface ShutdownStep {
  what: string;
  onHalt: 'await' | 'fire' | 'skip';
  run(): unknown;
}

/**
 * The composition root: builds the engine's parts, starts them in order and stops them in the
 * reverse order, draining running jobs (invariant 9). It composes and does nothing else: timers,
 * loops and retries belong to the parts. Plain Node: it never imports Electron (invariant 10),
 * so the desktop app and `tickr serve` run the same code.
 */
export class Engine {
  readonly bus = new EventBus();
  readonly nodeId: string;
  private started: Parts | null = null;
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

  private get parts(): Parts {
    if (!this.started) throw new Error('engine not started');
    return this.started;
  }

  /** The shared parts, for the API layer and tests. Throws before start. */
  get context(): EngineContext {
    return this.parts.ctx;
  }

  /** Task lifecycle: create, update, pause, resume, run now, delete. */
  get tasks(): TaskLifecycle {
    return this.parts.tasks;
  }

  /** Cancel and retry of one job. */
  get jobCommands(): JobCommands {
    return this.parts.jobs;
  }

  /** Bulk retry and cancel over a filter, run in pages on this node. */
  get bulk(): BulkOperations {
    return this.parts.bulk;
  }

  get redisState(): RedisStateGuard {
    return this.parts.redisState;
  }

  /** The safety sweep, for the repair Diagnostics offers. */
  get safetySweep(): SafetySweep {
    return this.parts.sweep;
  }

  get schedules(): ScheduleRepair {
    return this.parts.repair;
  }

  /** Redis's and MySQL's versions, memory and persistence, read once a minute (health/server-info.ts). */
  get serverInfo(): ServerInfoReader {
    return this.parts.serverInfo;
  }

  /** Pruning of job history, logs and events by policy (retention/), one node at a time. */
  get retention(): Retention {
    return this.parts.retention;
  }

  /** Jobs running on this node, results not yet recorded included. */
  get runningCount(): number {
    return this.started?.runner.count ?? 0;
  }

  /** Workers busy with a job's work; a job whose work has ended no longer holds one. */
  get busyWorkers(): number {
    return this.started?.runner.busy ?? 0;
  }

  /**
   * Re-evaluates recurring schedules: when the desktop app wakes from sleep (the clock watcher
   * and the start call it too). See ScheduleRepair.reevaluate.
   */
  reevaluateSchedules(): Promise<void> {
    return this.started ? this.started.repair.reevaluate() : Promise.resolve();
  }

  /**
   * Records a system event from outside the engine (the managed servers' supervisor). Before
   * start, or while MySQL is away, the event is only logged: an event never fails what it describes.
   */
  recordSystemEvent(event: Omit<NewEvent, 'nodeId'>): Promise<void> {
    if (!this.started) {
      this.log.warn(event.message);
      return Promise.resolve();
    }
    return this.started.ctx.recordEvent(event);
  }

  /**
   * True once MySQL was reached, migrated and the node registered. A node starts whatever the
   * state of its services: until then the API refuses what needs MySQL and no job is taken.
   */
  get storeReady(): boolean {
    return this.started?.store.ready ?? false;
  }

  /** Why MySQL is not ready yet (the last first-contact error), or null. */
  get storeError(): string | null {
    return this.started?.store.lastError ?? null;
  }

  /**
   * Starts the node. It resolves once the node runs, or, when MySQL does not answer on the first
   * try, once the node waits for it: the health shows MySQL down, and the rest of the start
   * (migrations, journal replay, orphans, the scheduler) runs when it answers. Redis may be down
   * too: ioredis reconnects on its own and the state check runs on every connect.
   */
  async start(): Promise<void> {
    const { config } = this;
    // First, before anything is touched: a key file that cannot be read stops the start.
    const secretKey = await loadSecretKey({
      configKey: config.secretKey,
      dataDir: config.dataDir,
      protector: this.options.keyProtector,
    });
    const target = parseMysqlUrl(config.mysqlUrl);
    // Every worker may hold a connection in its claim or finish while API calls, the heartbeat and
    // the promoter need their own: twice the workers keeps the API from queueing behind them.
    // A pool connects on first use, so it is made whether MySQL answers or not.
    const pool = createPool(target, Math.max(10, config.concurrency * 2 + 4));
    const pipelinePool = createPool(target, PIPELINE_CONNECTIONS, { multipleStatements: true });

    const p = this.compose({ pool, pipelinePool }, new SecretBox(secretKey.key), target);
    this.started = p;
    const { ctx } = p;

    const { main, subscriber, all } = p.redis;
    main.on('close', () => ctx.health.set('redis', 'down', 'connection closed'));
    // Before MySQL is ready the state check has nothing to compare with: the start runs it then.
    main.on('ready', () => {
      if (p.store.ready) void this.afterRedisReady(p);
    });
    subscriber.on('message', (_channel: string, message: string) =>
      handleNodeSignal(message, { wake: () => ctx.wake.notify(), cancel: (id) => p.runner.stop(id, 'cancel') }),
    );
    await Promise.all(all.map((c) => c.connect().catch((err: Error) => this.log.warn(`redis: ${err.message}`))));
    // Not awaited: with Redis down at start this waits for the connection (ioredis queues it and
    // subscribes again after every reconnect), and the node must start anyway.
    subscriber
      .subscribe(ctx.queue.keys.signals)
      .catch((err: Error) => this.log.warn(`redis subscribe: ${err.message}`));

    ctx.health.start();
    p.serverInfo.start();
    p.load.start();
    if (await p.store.tryOnce()) {
      await this.afterStoreReady(p, secretKey);
      return;
    }
    // Not awaited: the node is up, waiting for MySQL; stop() ends the wait.
    void p.store.untilReady().then(async (ready) => {
      if (!ready || this.stopping) return;
      await this.afterStoreReady(p, secretKey).catch((err: Error) =>
        this.log.error(`start after MySQL answered failed: ${err.stack ?? err.message}`),
      );
    });
  }

  /** First contact with MySQL: the database is created if missing and migrated, the node registered. */
  private async prepareStore(pool: EngineContext['pool'], target: DbTarget): Promise<void> {
    const { config } = this;
    await ensureDatabase(target);
    await migrate(pool, target.database);
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
  }

  /** The rest of the start, once MySQL is ready: Redis's state, the journal, orphans, then the scheduler. */
  private async afterStoreReady(p: Parts, secretKey: Awaited<ReturnType<typeof loadSecretKey>>): Promise<void> {
    const { config } = this;
    const { ctx } = p;
    ctx.health.set('mysql', 'up');
    if (p.redis.main.status === 'ready') await this.afterRedisReady(p);
    // Results a previous run journaled while MySQL was down go in before anything new.
    await p.recorder.replay().catch((err: Error) => this.log.warn(`journal replay failed: ${err.message}`));
    await reapOwnOrphans(ctx, p.runner, p.processes).catch((err: Error) =>
      this.log.warn(`orphan reaping failed: ${err.message}`),
    );
    await p.repair.reevaluate();
    await checkClusterKey(ctx, secretKey.source, secretKey.file);

    // A stop that came while MySQL was being prepared has run its steps: start no loop after it.
    if (this.stopping) return;
    p.promoter.start();
    p.spawner.start();
    // A connection per worker and two more, open before the first jobs need them (db.ts says why).
    void openConnections(ctx.pool, config.concurrency + 2);
    void openConnections(ctx.pipelinePool, PIPELINE_CONNECTIONS);
    p.dispatcher.start();
    p.clockWatcher.start();
    for (const service of [p.leases, p.fence, p.sweep]) service.timer.start();
    p.retention.start();
    await ctx.recordEvent({
      level: 'info',
      kind: 'node.started',
      message:
        `node ${config.nodeName} started (concurrency ${config.concurrency}, ` +
        `Redis ${redactUrl(config.redisUrl)}, MySQL ${redactUrl(config.mysqlUrl)})`,
      data: { nodeId: this.nodeId },
    });
  }

  /** Builds every part and wires their callbacks; starts nothing. */
  private compose(
    { pool, pipelinePool }: Pick<EngineContext, 'pool' | 'pipelinePool'>,
    secrets: SecretBox,
    target: DbTarget,
  ): Parts {
    const { config, nodeId } = this;
    const redis = openRedisConnections(config.redisUrl, nodeId);
    const keys = queueKeys(config.redisPrefix);
    // The health monitor's callbacks reach parts made below; it calls none before start().
    const queue = new RedisQueue(redis.main, redis.blocking, keys, nodeId);
    const health = new HealthMonitor(
      (countMysql) => queue.probe(countMysql),
      pool,
      (service, status) => this.onHealthChange(parts, service, status),
      async (answer: RedisProbe, mysqlUp) => {
        parts.fence.observe(mysqlUp, answer.mysqlProbes);
        if (parts.store.ready) await parts.redisState.quickCheck(answer.mysqlProbes);
      },
    );
    const ctx: EngineContext = {
      config,
      nodeId,
      pool,
      pipelinePool,
      redis: redis.main,
      queue,
      bus: this.bus,
      health,
      wake: new WakeSignal(),
      log: this.log,
      secrets,
      faults: this.options.faults ?? {},
      publish: async (signal: NodeSignal) => {
        await redis.main.publish(keys.signals, JSON.stringify(signal));
      },
      recordEvent: systemEventRecorder(pool, this.bus, nodeId, this.log),
    };
    const tasks = new TaskLifecycle(ctx);
    const processes = new ProcessRegistry(config.dataDir);
    const recorder = new DurableRecorder(ctx, new Journal(config.dataDir), (pending) => {
      health.journalPending = pending;
      this.bus.emit('health.changed', this.health());
    });
    health.journalPending = recorder.journal.size;
    const spawner = jobSpawner((message) => this.log.warn(message), this.options.spawnerHost);
    const runner = new JobRunner(ctx, recorder, processes, spawner.spawn);
    const fence = new SelfFence(ctx, runner, keys.mysqlProbes);
    const repair = new ScheduleRepair(ctx, () => !this.stopping);
    const jobs = new JobCommands(ctx, (taskId, link) => tasks.runNow(taskId, link));
    const parts: Parts = {
      ctx,
      redis,
      tasks,
      jobs,
      bulk: new BulkOperations(ctx, jobs),
      runner,
      recorder,
      processes,
      spawner,
      promoter: new Promoter(ctx, () => void ctx.queue.interruptTake()),
      dispatcher: new Dispatcher(ctx, runner),
      leases: new LeaseKeeper(ctx, {
        runner,
        journalPending: () => recorder.journal.size,
        onLeasesRenewed: () => fence.renewed(),
        replayJournal: () => recorder.replay(),
      }),
      sweep: new SafetySweep(ctx),
      fence,
      redisState: new RedisStateGuard(ctx),
      repair,
      clockWatcher: new ClockJumpWatcher({
        checkMs: this.options.clockWatch?.checkMs ?? CLOCK_CHECK_MS,
        thresholdMs: CLOCK_JUMP_MS,
        clocks: this.options.clockWatch?.clocks,
        onJump: (jump) => void repair.afterClockJump(jump),
      }),
      serverInfo: new ServerInfoReader(redis.main, pool),
      load: new LoadAnnouncer(
        this.bus,
        () => this.busyWorkers,
        () => this.bus.emit('health.changed', this.health()),
      ),
      store: new StoreConnector({ attempt: () => this.prepareStore(pool, target), log: this.log }),
      retention: new Retention(ctx),

      outages: new OutageRecorder(pool, this.bus, nodeId, this.log),
    };
    health.onReport = () => {
      if (this.started) this.bus.emit('health.changed', this.health());
    };
    return parts;
  }

  /** On every (re)connect of Redis: check its state, rebuild it from MySQL if it was lost. */
  private afterRedisReady(p: Parts): Promise<void> {
    return p.redisState.afterReconnect({
      stopping: () => this.stopping !== null,
      connected: () => p.redis.main.status === 'ready',
      sweep: () => p.sweep.sweep(),
    });
  }

  private onHealthChange(p: Parts, service: ServiceName, status: string): void {
    this.log.info(`${service} is ${status}`);
    // Outages become timeline events (events/system-events.ts), paired there: one entry each.
    // Before MySQL's first contact there is no table to write them in, and nothing was running.
    if (p.store.ready) void p.outages.changed(service, status as ServiceStatus, this.health()[service].error);
    if (service === 'mysql') p.leases.mysqlStatusChanged(status);
    // A server that comes back may be another one (a restart, a failover): read its facts again.
    if (status === 'up') void (service === 'redis' ? p.serverInfo.refreshRedis() : p.serverInfo.refreshMysql());
    if (service === 'mysql' && status === 'up' && p.store.ready) {
      p.recorder.replay().catch((err: Error) => this.log.warn(`journal replay failed: ${err.message}`));
    }
    if (this.started) this.bus.emit('health.changed', this.health());
  }

  health(): Health {
    return this.parts.ctx.health.snapshot({
      id: this.nodeId,
      name: this.config.nodeName,
      concurrency: this.config.concurrency,
      running: this.busyWorkers,
      draining: this.draining,
    });
  }

  /** The order in which a node stops: the reverse of its start. */
  private shutdownSteps(p: Parts): ShutdownStep[] {
    const { ctx } = p;
    return [
      {
        what: 'stop the timers',
        onHalt: 'await',
        run: () => {
          p.clockWatcher.stop();
          for (const service of [p.leases, p.fence, p.sweep]) service.timer.stop();
        },
      },
      // A run under way ends after its current batch, releasing its lock and connection.
      { what: 'stop retention', onHalt: 'fire', run: () => p.retention.stop() },
      { what: 'stop bulk operations', onHalt: 'fire', run: () => p.bulk.stopAll() },
      { what: 'stop taking jobs', onHalt: 'fire', run: () => p.dispatcher.stopTaking() },
      { what: 'stop the promoter', onHalt: 'fire', run: () => p.promoter.stop() },
      { what: 'drain running jobs', onHalt: 'skip', run: () => this.drainJobs(p) },
      // Jobs' process groups are detached: a halted node leaves them running, as a crash would.
      { what: 'stop the spawner', onHalt: 'await', run: () => p.spawner.close() },
      { what: 'close the process journal', onHalt: 'await', run: () => p.processes.close() },
      {
        what: 'stop the health probes',
        onHalt: 'await',
        run: () => {
          ctx.health.stop();
          p.serverInfo.stop();
          p.load.stop();
        },
      },
      {
        what: 'record the stop',
        onHalt: 'skip',
        run: async () => {
          // A node that never reached MySQL has nothing there to mark.
          if (!p.store.ready) return;
          await markNodeStopped(ctx.pool, this.nodeId, new Date()).catch(() => undefined);
          await ctx.recordEvent({
            level: 'info',
            kind: 'node.stopped',
            message: `node ${this.config.nodeName} stopped`,
            data: { nodeId: this.nodeId },
          });
        },
      },
      { what: 'close Redis', onHalt: 'await', run: () => p.redis.all.forEach((c) => c.disconnect()) },
      {
        what: 'close MySQL',
        onHalt: 'await',
        run: async () => {
          await Promise.all([ctx.pool, ctx.pipelinePool].map((pool) => pool.end().catch(() => undefined)));
        },
      },
    ];
  }

  /** Lets running jobs finish up to drainTimeoutMs, then ends the rest (interrupted, retried). */
  private async drainJobs(p: Parts): Promise<void> {
    const drained = await p.dispatcher.drain(this.config.drainTimeoutMs);
    if (!drained) {
      this.log.warn(`shutdown: jobs still running after ${this.config.drainTimeoutMs} ms; ending them`);
      p.runner.stopAll('shutdown');
    }
    await p.dispatcher.settled();
    await p.dispatcher.loopFinished();
  }

  /**
   * Drains and stops: stop taking jobs, let running ones finish up to drainTimeoutMs, then end
   * the rest (recorded as interrupted and retried), write final states, close connections. The
   * final writes use the still-open pool: nothing cancels them.
   */
  stop(): Promise<void> {
    if (!this.stopping) {
      this.draining = true;
      const p = this.started;
      this.stopping = (async () => {
        if (!p) return;
        p.store.stop();
        for (const step of this.shutdownSteps(p)) await step.run();
      })();
    }
    return this.stopping;
  }

  /**
   * Stops at once, the way a crash (SIGKILL, power loss) would: no drain, no final writes, job
   * processes left running. For fault tests of what a restarted node must repair.
   */
  async halt(): Promise<void> {
    this.stopping = Promise.resolve();
    const p = this.started;
    if (!p) return;
    p.store.stop();
    for (const step of this.shutdownSteps(p)) {
      if (step.onHalt === 'await') await step.run();
      else if (step.onHalt === 'fire') void step.run();
    }
  }
}
