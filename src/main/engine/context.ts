import type { Redis } from 'ioredis';
import type { Pool } from 'mysql2/promise';
import type { EngineConfig } from './config';
import type { NodeSignal } from './dispatch/node-signals';
import type { WakeSignal } from './dispatch/wake-signal';
import type { EventBus } from './events/event-bus';
import type { HealthMonitor } from './health/health-monitor';
import type { RedisProbe, RedisQueue } from './queue/redis-queue';
import type { SecretBox } from './secrets/secret-box';
import type { NewEvent } from './store/events';

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

/** Fault hooks let tests stop the node at exact points (e.g. between two halves of a move). */
export interface FaultHooks {
  /** Called after an id was taken from Redis and before the MySQL claim. */
  afterTake?: (jobId: string) => void | Promise<void>;
  /** Called after a job row was inserted and before its id is pushed to Redis. */
  beforePush?: (jobId: string) => void | Promise<void>;
  /** Called in the promoter after promoting; lets a test hold the loop "busy". */
  afterPromote?: () => void | Promise<void>;
  /** Called before an attempt's result is written to MySQL; a throw stands for that write failing. */
  beforeRecord?: (jobId: string) => void | Promise<void>;
}

/**
 * Everything the engine's parts may share, built once by the Engine (the composition root). No
 * part takes the whole of it: each names the members it uses (`Pick<EngineContext, …>`, and a
 * `Pick` of the config), so a reader sees what a part touches and a unit test builds only that.
 */
export interface EngineContext {
  config: EngineConfig;
  nodeId: string;
  pool: Pool;
  /**
   * A few connections that take several statements per query, for the hot path's pipelined
   * transactions only (the claim of a batch, a completion group: store/db.ts).
   */
  pipelinePool: Pool;
  redis: Redis;
  queue: RedisQueue;
  bus: EventBus;
  health: HealthMonitor<RedisProbe>;
  wake: WakeSignal;
  log: Logger;
  /** Seals and opens task secrets with this node's key. */
  secrets: SecretBox;
  faults: FaultHooks;
  publish(signal: NodeSignal): Promise<void>;
  recordEvent(event: Omit<NewEvent, 'nodeId'>): Promise<void>;
}

/** A part's view of the context: the members it names, and the config settings it reads. */
export type PartContext<K extends Exclude<keyof EngineContext, 'config'>, C extends keyof EngineConfig = never> = Pick<
  EngineContext,
  K
> & { config: Pick<EngineConfig, C> };
