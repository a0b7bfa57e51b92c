import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startNode, type TestNode } from './engine';
import { createTestDatabase, dropPrefix, tempDir, testPrefix, type TestDatabase } from './services';

export interface Isolated {
  /** This test's (or file's) own database. */
  readonly db: TestDatabase;
  /** This test's (or file's) own Redis key prefix. */
  readonly prefix: string;
  /** A scratch folder for side-effect files, removed after the file. */
  readonly dir: string;
  /**
   * Starts an engine on the isolated database and prefix; it is stopped afterwards. `mysqlUrl`
   * may point at the same database another way (through a proxy, say).
   */
  node(opts?: Omit<Parameters<typeof startNode>[0], 'mysqlUrl' | 'prefix'> & { mysqlUrl?: string }): Promise<TestNode>;
  /** Registers a cleanup to run before the database is dropped. */
  onCleanup(fn: () => Promise<void> | void): void;
}

/**
 * Gives each test (`per: 'test'`) or each file (`per: 'file'`) its own MySQL database and Redis
 * key prefix on the shared servers, and removes both — and the nodes started on them — afterwards.
 */
export function isolated(per: 'test' | 'file' = 'test'): Isolated {
  let db: TestDatabase | null = null;
  let prefix = '';
  const nodes: TestNode[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  const scratch = tempDir('tickr-test');

  const setUp = async (): Promise<void> => {
    db = await createTestDatabase();
    prefix = testPrefix();
  };
  const tearDown = async (): Promise<void> => {
    for (const n of nodes.splice(0)) await n.stop();
    for (const fn of cleanups.splice(0)) await fn();
    await dropPrefix(prefix);
    await db?.drop();
    db = null;
  };
  if (per === 'test') {
    beforeEach(setUp);
    afterEach(tearDown);
  } else {
    beforeAll(setUp);
    afterAll(tearDown);
  }
  afterAll(() => scratch.remove());

  return {
    get db() {
      if (!db) throw new Error('isolated(): no database outside a test');
      return db;
    },
    get prefix() {
      return prefix;
    },
    dir: scratch.path,
    async node(opts = {}) {
      const n = await startNode({ mysqlUrl: this.db.url, prefix, ...opts });
      nodes.push(n);
      return n;
    },
    onCleanup(fn) {
      cleanups.push(fn);
    },
  };
}
