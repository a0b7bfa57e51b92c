import type { MethodInput, MethodName, MethodOutput } from '../../src/shared/contract';
import { createApi, type ApiHandler } from '../../src/main/api';
import { defaultConfig, type EngineConfig } from '../../src/main/engine/config';
import type { FaultHooks, Logger } from '../../src/main/engine/context';
import { Engine, type EngineOptions } from '../../src/main/engine/engine';
import { REDIS_URL, tempDir } from './services';

export const quietLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: (m) => console.error(m),
};

export interface TestNode {
  engine: Engine;
  api: ApiHandler;
  dataDir: string;
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  stop(): Promise<void>;
}

/** Starts an engine against a test database and key prefix, with short timings. */
export async function startNode(opts: {
  mysqlUrl: string;
  prefix: string;
  config?: Partial<EngineConfig>;
  faults?: FaultHooks;
  dataDir?: string;
  clockWatch?: EngineOptions['clockWatch'];
}): Promise<TestNode> {
  const dir = opts.dataDir ? null : tempDir('tickr-node');
  const dataDir = opts.dataDir ?? dir!.path;
  const config: EngineConfig = {
    ...defaultConfig(dataDir),
    redisUrl: REDIS_URL,
    mysqlUrl: opts.mysqlUrl,
    redisPrefix: opts.prefix,
    concurrency: 4,
    nodeName: 'test-node',
    leaseMs: 5_000,
    heartbeatMs: 1_000,
    sweepMs: 30_000,
    drainTimeoutMs: 10_000,
    killGraceMs: 500,
    logFlushMs: 50,
    ...opts.config,
  };
  const engine = new Engine(config, { logger: quietLogger, faults: opts.faults ?? {}, clockWatch: opts.clockWatch });
  await engine.start();
  const api = createApi(engine);
  return {
    engine,
    api,
    dataDir,
    async call(method, input) {
      const res = await api.call(method, input);
      if (!res.ok) throw Object.assign(new Error(`${res.error.code}: ${res.error.message}`), { code: res.error.code });
      return res.data as MethodOutput<typeof method>;
    },
    async stop() {
      await engine.stop();
      dir?.remove();
    },
  };
}
