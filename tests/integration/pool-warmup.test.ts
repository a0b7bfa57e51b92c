import { describe, expect, it } from 'vitest';
import { isolated } from '../helpers/isolated';
import { waitFor } from '../helpers/services';

/**
 * A started node opens a MySQL connection per worker and two more before its first jobs need
 * them (store/db.ts, openConnections): a job that had to open one waited for the handshake, and
 * that showed as lateness spikes on a fresh node.
 */
describe('the MySQL pool of a started node (real Redis and MariaDB)', () => {
  const env = isolated();

  it('holds a connection per worker and two more before any job ran', async () => {
    const node = await env.node({ config: { concurrency: 5 } });
    const pool = node.engine.context.pool as unknown as { pool: { _allConnections: { length: number } } };
    const opened = await waitFor(
      async () => (pool.pool._allConnections.length >= 7 ? pool.pool._allConnections.length : null),
      {
        what: '7 open connections',
      },
    );
    expect(opened).toBeGreaterThanOrEqual(7);
    // Opened, then given back: every one is free for the workers.
    const free = (node.engine.context.pool as unknown as { pool: { _freeConnections: { length: number } } }).pool
      ._freeConnections.length;
    expect(free).toBeGreaterThanOrEqual(5);
  });
});
