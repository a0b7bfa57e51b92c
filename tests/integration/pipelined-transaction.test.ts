import type { RowDataPacket } from 'mysql2';
import type { Pool, ResultSetHeader } from 'mysql2/promise';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPool, ensureDatabase, inPipelinedTransaction, parseMysqlUrl } from '../../src/main/engine/store/db';
import { createTestDatabase, type TestDatabase } from '../helpers/services';

/**
 * store/db.ts's pipelined transactions, which the claim of a batch and a completion group use:
 * several statements a round trip, all or nothing. One connection in the pool, so that each test
 * also sees what the transaction left on the connection the next user gets.
 */
describe('a pipelined transaction (real MariaDB)', () => {
  let db: TestDatabase;
  let pipeline: Pool;
  let single: Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    const target = parseMysqlUrl(db.url);
    await ensureDatabase(target);
    pipeline = createPool(target, 1, { multipleStatements: true });
    single = createPool(target, 1);
    await single.query('CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10) NOT NULL)');
  });

  afterAll(async () => {
    await pipeline?.end();
    await single?.end();
    await db?.drop();
  });

  beforeEach(async () => {
    await single.query('DELETE FROM t');
  });

  const rows = async (): Promise<{ id: number; v: string }[]> => {
    const [r] = await single.query<RowDataPacket[]>('SELECT id, v FROM t ORDER BY id');
    return r.map((x) => ({ id: Number(x.id), v: String(x.v) }));
  };

  /** Whether the pool's one connection is inside a transaction: a leftover would hold its locks for the next user. */
  const leftOpen = async (): Promise<number> => {
    const [r] = await pipeline.query<RowDataPacket[]>('SELECT @@in_transaction AS open');
    return Number(r[0]!.open);
  };

  it('answers each statement in order, without the start and the commit, and commits', async () => {
    const answers = await inPipelinedTransaction(pipeline, async (tx) => {
      const first = await tx.send([
        { sql: 'INSERT INTO t VALUES (?, ?), (?, ?)', values: [1, 'a', 2, 'b'] },
        { sql: 'SELECT v FROM t WHERE id IN (?, ?) ORDER BY id', values: [1, 2] },
      ]);
      const last = await tx.commit([{ sql: 'UPDATE t SET v=? WHERE id=?', values: ['c', 2] }]);
      return { first, last };
    });
    expect((answers.first[0] as ResultSetHeader).affectedRows).toBe(2);
    expect((answers.first[1] as RowDataPacket[]).map((r) => r.v)).toEqual(['a', 'b']);
    expect(answers.last).toHaveLength(1);
    expect((answers.last[0] as ResultSetHeader).affectedRows).toBe(1);
    expect(await rows()).toEqual([
      { id: 1, v: 'a' },
      { id: 2, v: 'c' },
    ]);
    expect(await leftOpen()).toBe(0);
  });

  it('commits at the end when the function did not, and sends nothing for a transaction with no statements', async () => {
    await inPipelinedTransaction(pipeline, (tx) => tx.send([{ sql: 'INSERT INTO t VALUES (?, ?)', values: [3, 'x'] }]));
    expect(await rows()).toEqual([{ id: 3, v: 'x' }]);
    expect(await inPipelinedTransaction(pipeline, async (tx) => tx.commit())).toEqual([]);
    expect(await leftOpen()).toBe(0);
  });

  it('rolls back the statements before one that fails in the same round trip, and says which rule failed', async () => {
    const attempt = inPipelinedTransaction(pipeline, (tx) =>
      tx.commit([
        { sql: 'INSERT INTO t VALUES (?, ?)', values: [4, 'kept?'] },
        { sql: 'INSERT INTO t VALUES (?, ?)', values: [4, 'twice'] },
      ]),
    );
    await expect(attempt).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' });
    expect(await rows()).toEqual([]);
    expect(await leftOpen()).toBe(0);
  });

  it('rolls back the first round trip when the function throws before the commit', async () => {
    const attempt = inPipelinedTransaction(pipeline, async (tx) => {
      await tx.send([{ sql: 'INSERT INTO t VALUES (?, ?)', values: [5, 'undone'] }]);
      throw new Error('not every row applied');
    });
    await expect(attempt).rejects.toThrow('not every row applied');
    expect(await rows()).toEqual([]);
    expect(await leftOpen()).toBe(0);
  });

  it('refuses a statement after the commit', async () => {
    const attempt = inPipelinedTransaction(pipeline, async (tx) => {
      await tx.commit([{ sql: 'INSERT INTO t VALUES (?, ?)', values: [6, 'in'] }]);
      await tx.send([{ sql: 'INSERT INTO t VALUES (?, ?)', values: [7, 'after'] }]);
    });
    await expect(attempt).rejects.toThrow('a statement after the commit');
    expect(await rows()).toEqual([{ id: 6, v: 'in' }]);
  });

  it('only the pipeline pool takes several statements in one query: the engine pool refuses them', async () => {
    await expect(single.query('SELECT 1; SELECT 2')).rejects.toMatchObject({ code: 'ER_PARSE_ERROR' });
    const [both] = await pipeline.query<RowDataPacket[][]>('SELECT 1 AS a; SELECT 2 AS b');
    expect(both.map((r) => r[0])).toEqual([{ a: 1 }, { b: 2 }]);
  });
});
