import type { Redis } from 'ioredis';
import type { Pool } from 'mysql2/promise';
import type { EngineConfig } from './config';
import type { EventBus } from './events/event-bus';
import type { HealthMonitor } from './health/health-monitor';
import type { RedisQueue } from './queue/redis-queue';
import type { SecretBox } from './secrets/secret-box';
import type { WakeSignal } from './dispatch/wake-signal';
import type { NewEvent } from './store/events';

/** Messages nodes send each other on the signals channel. */
export type NodeSignal =
  | { type: 'wake'; from: string }
  | { type: 'cancel'; jobId: string; from: string }
  | { type: 'task-changed'; taskId: string; from: string };

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
  /** Called in the scheduler after promoting; lets a test hold the loop "busy". */
  afterPromote?: () => void | Promise<void>;
}

/** What the engine's parts share. Built once by the Engine (the composition root). */
export interface EngineContext {
  config: EngineConfig;
  nodeId: string;
  pool: Pool;
  redis: Redis;
  queue: RedisQueue;
  bus: EventBus;
  health: HealthMonitor;
  wake: WakeSignal;
  log: Logger;
  /** Seals and opens task secrets with this node's key. */
  secrets: SecretBox;
  faults: FaultHooks;
  publish(signal: NodeSignal): Promise<void>;
  recordEvent(event: Omit<NewEvent, 'nodeId'>): Promise<void>;
}
