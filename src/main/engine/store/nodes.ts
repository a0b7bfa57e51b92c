import type { RowDataPacket } from 'mysql2';
import type { Pool, PoolConnection } from 'mysql2/promise';
import type { NodeInfo } from '../../../shared/types';
import { nodeFromRow, type NodeRow } from './rows';

type Executor = Pool | PoolConnection;

export interface NodeRegistration {
  id: string;
  name: string;
  host: string;
  pid: number;
  concurrency: number;
  version: string;
}

export async function registerNode(db: Executor, n: NodeRegistration, now: Date): Promise<void> {
  await db.execute(
    `INSERT INTO nodes (id, name, host, pid, concurrency, version, started_at, heartbeat_at, stopped_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)
     ON DUPLICATE KEY UPDATE name=VALUES(name), host=VALUES(host), pid=VALUES(pid), concurrency=VALUES(concurrency),
       version=VALUES(version), started_at=VALUES(started_at), heartbeat_at=VALUES(heartbeat_at), stopped_at=NULL`,
    [n.id, n.name, n.host, n.pid, n.concurrency, n.version, now, now],
  );
}

export async function heartbeatNode(db: Executor, id: string, now: Date): Promise<void> {
  await db.execute('UPDATE nodes SET heartbeat_at=? WHERE id=?', [now, id]);
}

export async function markNodeStopped(db: Executor, id: string, now: Date): Promise<void> {
  await db.execute('UPDATE nodes SET stopped_at=? WHERE id=?', [now, id]);
}

/** A node is alive while it has not stopped and its heartbeat is younger than a lease. */
export async function listNodes(db: Executor, leaseMs: number, now: Date): Promise<NodeInfo[]> {
  const [rows] = await db.query<NodeRow[]>(
    'SELECT *, (stopped_at IS NULL AND heartbeat_at > ?) AS alive FROM nodes ORDER BY name, id',
    [new Date(now.getTime() - leaseMs)],
  );
  return rows.map(nodeFromRow);
}

/** How long the MySQL server has been up, in seconds (a restart resets it). */
export async function serverUptimeSeconds(db: Executor): Promise<number> {
  const [rows] = await db.query<RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Uptime'");
  return Number(rows[0]?.Value ?? rows[0]?.value ?? Number.POSITIVE_INFINITY);
}
