import path from 'node:path';
import type { BackoffOptions } from './backoff';
import { findBinary } from './binaries';
import { installHint, type InstallHint } from './install-hints';
import { decideManage, DEFAULT_PORTS, type DefaultPorts, type ServiceName } from './local-default';
import { mariadbSpec, mysqlFlavour } from './mariadb-server';
import { endLeftoverServer } from './pid-file';
import { portAnswers } from './port-probe';
import { redisSpec } from './redis-server';
import { Supervisor, type ServerSpec, type ServiceEvent } from './supervisor';

export interface ManagedServicesOptions {
  redisUrl: string;
  mysqlUrl: string;
  dataDir: string;
  /** The local default ports; tests pass free ones so the shared 6379 and 3306 are never touched. */
  ports?: DefaultPorts;
  backoff?: BackoffOptions;
  /** SIGTERM to SIGKILL, at stop and for a leftover server. MariaDB needs a few seconds to shut down. */
  stopGraceMs?: number;
  readyTimeoutMs?: number;
  onEvent?: (event: ServiceEvent) => void;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface MissingService {
  service: ServiceName;
  hint: InstallHint;
}

export interface ManagedServices {
  /** The servers Tickr runs itself. */
  readonly servers: ReadonlyMap<ServiceName, Supervisor>;
  /** Local default services that are down with no server installed: what to tell the user. */
  readonly missing: MissingService[];
  /** Resolves once every managed server answers; false if one did not within timeoutMs. */
  untilReady(timeoutMs: number): Promise<boolean>;
  /** Stops every managed server (after the engine's drain) and waits until each has exited. */
  stop(): Promise<void>;
}

const BINARIES: Record<ServiceName, string[]> = {
  redis: ['redis-server', 'memurai'],
  mysql: ['mariadbd', 'mysqld'],
};
/** Folder names under `<data dir>/services`. */
const FOLDER: Record<ServiceName, string> = { redis: 'redis', mysql: 'mariadb' };

function portOf(url: string, fallback: number): number {
  const port = new URL(url).port;
  return port === '' ? fallback : Number(port);
}

/**
 * Starts the local Redis and MariaDB Tickr needs when they are the configured default, down, and
 * installed (local-default.ts). Resolves once they are spawned, not once they answer: the engine
 * starts whatever the state of its services and connects when they do. A server that a crashed
 * Tickr left running is ended first (pid-file.ts), so it neither blocks the port nor is mistaken
 * for a server the user runs.
 */
export async function startManagedServices(opts: ManagedServicesOptions): Promise<ManagedServices> {
  const ports = opts.ports ?? DEFAULT_PORTS;
  const graceMs = opts.stopGraceMs ?? 10_000;
  const log = opts.log ?? (() => undefined);
  const urls: Record<ServiceName, string> = { redis: opts.redisUrl, mysql: opts.mysqlUrl };
  const servers = new Map<ServiceName, Supervisor>();
  const missing: MissingService[] = [];

  for (const service of ['redis', 'mysql'] as const) {
    const dir = path.join(opts.dataDir, 'services', FOLDER[service]);
    const ended = await endLeftoverServer(path.join(dir, 'tickr-managed.pid'), graceMs);
    if (ended !== null) log(`ended the ${service} server (pid ${ended}) a previous run left behind`);

    const url = urls[service];
    const port = (() => {
      try {
        return portOf(url, ports[service]);
      } catch {
        return ports[service];
      }
    })();
    const binary = findBinary(BINARIES[service], opts.env);
    const decision = decideManage({ service, url, ports, answers: await portAnswers(port), binary });
    if (!decision.manage) {
      if (decision.reason === 'no-binary') missing.push({ service, hint: installHint(service) });
      continue;
    }
    const spec: ServerSpec =
      service === 'redis'
        ? redisSpec(binary!, dir, port)
        : mariadbSpec(binary!, await mysqlFlavour(binary!), dir, port);
    const supervisor = new Supervisor(spec, {
      backoff: opts.backoff,
      readyTimeoutMs: opts.readyTimeoutMs,
      onEvent: opts.onEvent,
    });
    supervisor.start();
    servers.set(service, supervisor);
    log(`starting a managed ${spec.label} on 127.0.0.1:${port} (data in ${dir})`);
  }

  return {
    servers,
    missing,
    async untilReady(timeoutMs) {
      const answers = await Promise.all([...servers.values()].map((s) => s.untilReady(timeoutMs)));
      return answers.every(Boolean);
    },
    async stop() {
      await Promise.all([...servers.values()].map((s) => s.stop(graceMs)));
    },
  };
}
