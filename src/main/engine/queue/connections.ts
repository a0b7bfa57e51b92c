import { Redis, type RedisOptions } from 'ioredis';
import { tlsOptionsOf, withoutTlsParams } from '../connection-tls';

/**
 * A node's three Redis connections: commands (offline queue off, so calls fail fast while Redis
 * is down instead of piling up), the blocking BLMOVE (which holds its connection), and the
 * pub/sub subscriber. All reconnect with a back-off capped at 500 ms, so the queues are back
 * within a second of Redis; none connects until `connect()` is called.
 */
export interface RedisConnections {
  main: Redis;
  blocking: Redis;
  subscriber: Redis;
  all: Redis[];
}

export function openRedisConnections(configuredUrl: string, nodeId: string): RedisConnections {
  const retryStrategy = (times: number): number => Math.min(50 * 2 ** Math.min(times, 4), 500);
  // `rediss://` alone turns TLS on in ioredis; the CA, client certificate and check come from the query.
  const tls = tlsOptionsOf('redis', configuredUrl);
  const base: RedisOptions = { lazyConnect: true, connectTimeout: 5_000, retryStrategy, ...(tls ? { tls } : {}) };
  const url = withoutTlsParams(configuredUrl);
  const commands: RedisOptions = { ...base, maxRetriesPerRequest: 1, enableOfflineQueue: false };
  const main = new Redis(url, { ...commands, connectionName: `tickr:${nodeId}:main` });
  const blocking = new Redis(url, { ...commands, maxRetriesPerRequest: null, connectionName: `tickr:${nodeId}:take` });
  // The subscriber keeps its offline queue: ioredis then subscribes again after every reconnect.
  const subscriber = new Redis(url, { ...base, connectionName: `tickr:${nodeId}:signals` });
  const all = [main, blocking, subscriber];
  for (const c of all) c.on('error', () => undefined); // status comes from the HealthMonitor
  return { main, blocking, subscriber, all };
}
