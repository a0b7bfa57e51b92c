import type { Pool } from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2';

/**
 * Versioned schema migrations. Each runs once, in order, under a named MySQL lock so that two
 * nodes starting at the same moment never apply one twice. SQL is the subset MySQL 8 and
 * MariaDB 10.6 share. Never edit a released migration: add the next one.
 */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    statements: [
      `CREATE TABLE tasks (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        name VARCHAR(200) NOT NULL,
        type VARCHAR(16) NOT NULL,
        command MEDIUMTEXT NULL,
        cwd VARCHAR(4096) NULL,
        env_json MEDIUMTEXT NOT NULL,
        http_json MEDIUMTEXT NULL,
        schedule_json TEXT NOT NULL,
        schedule_type VARCHAR(16) NOT NULL,
        timezone VARCHAR(64) NULL,
        max_attempts INT NOT NULL,
        retry_delay_ms INT NOT NULL,
        timeout_ms INT NOT NULL,
        overlap VARCHAR(8) NOT NULL,
        catch_up VARCHAR(8) NOT NULL,
        target VARCHAR(16) NOT NULL,
        node_id VARCHAR(64) NULL,
        enabled TINYINT(1) NOT NULL DEFAULT 1,
        anchor_at DATETIME(3) NOT NULL,
        next_run_at DATETIME(3) NULL,
        last_occurrence_at DATETIME(3) NULL,
        created_at DATETIME(3) NOT NULL,
        updated_at DATETIME(3) NOT NULL,
        deleted_at DATETIME(3) NULL,
        PRIMARY KEY (id),
        KEY idx_tasks_live (deleted_at, enabled, id)
      ) ${TABLE_OPTIONS}`,
      // occurrence_at is set for jobs a schedule made; (task_id, occurrence_at) unique makes
      // materialisation idempotent across nodes. Manual runs leave it NULL (NULLs never clash).
      `CREATE TABLE jobs (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        task_id BIGINT UNSIGNED NOT NULL,
        status VARCHAR(16) NOT NULL,
        attempt INT NOT NULL DEFAULT 0,
        max_attempts INT NOT NULL,
        scheduled_for DATETIME(3) NOT NULL,
        occurrence_at DATETIME(3) NULL,
        due_at DATETIME(3) NOT NULL,
        started_at DATETIME(3) NULL,
        finished_at DATETIME(3) NULL,
        exit_code INT NULL,
        error VARCHAR(2000) NULL,
        node_id VARCHAR(64) NULL,
        pinned_node_id VARCHAR(64) NULL,
        claim_token CHAR(32) NULL,
        lease_until DATETIME(3) NULL,
        cancel_requested TINYINT(1) NOT NULL DEFAULT 0,
        created_at DATETIME(3) NOT NULL,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_jobs_occurrence (task_id, occurrence_at),
        KEY idx_jobs_task_id (task_id, id),
        KEY idx_jobs_task_status (task_id, status, id),
        KEY idx_jobs_status_id (status, id),
        KEY idx_jobs_status_due (status, due_at),
        KEY idx_jobs_status_lease (status, lease_until),
        KEY idx_jobs_node_status (node_id, status)
      ) ${TABLE_OPTIONS}`,
      `CREATE TABLE attempts (
        job_id BIGINT UNSIGNED NOT NULL,
        attempt INT NOT NULL,
        node_id VARCHAR(64) NOT NULL,
        claim_token CHAR(32) NOT NULL,
        started_at DATETIME(3) NOT NULL,
        finished_at DATETIME(3) NULL,
        exit_code INT NULL,
        signal_name VARCHAR(16) NULL,
        http_status INT NULL,
        outcome VARCHAR(16) NOT NULL,
        error VARCHAR(2000) NULL,
        PRIMARY KEY (job_id, attempt)
      ) ${TABLE_OPTIONS}`,
      // One row per chunk of output (a run of one stream within one flush), not per line.
      `CREATE TABLE job_logs (
        job_id BIGINT UNSIGNED NOT NULL,
        seq INT NOT NULL,
        attempt INT NOT NULL,
        stream VARCHAR(8) NOT NULL,
        at DATETIME(3) NOT NULL,
        text MEDIUMTEXT NOT NULL,
        PRIMARY KEY (job_id, seq)
      ) ${TABLE_OPTIONS}`,
      `CREATE TABLE system_events (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        at DATETIME(3) NOT NULL,
        level VARCHAR(8) NOT NULL,
        kind VARCHAR(64) NOT NULL,
        message VARCHAR(2000) NOT NULL,
        node_id VARCHAR(64) NULL,
        data_json TEXT NULL,
        PRIMARY KEY (id),
        KEY idx_events_kind (kind, id)
      ) ${TABLE_OPTIONS}`,
      `CREATE TABLE nodes (
        id VARCHAR(64) NOT NULL,
        name VARCHAR(100) NOT NULL,
        host VARCHAR(255) NOT NULL,
        pid INT NOT NULL,
        concurrency INT NOT NULL,
        version VARCHAR(32) NOT NULL,
        started_at DATETIME(3) NOT NULL,
        heartbeat_at DATETIME(3) NOT NULL,
        stopped_at DATETIME(3) NULL,
        PRIMARY KEY (id)
      ) ${TABLE_OPTIONS}`,
      `CREATE TABLE meta (
        k VARCHAR(64) NOT NULL,
        v VARCHAR(255) NOT NULL,
        PRIMARY KEY (k)
      ) ${TABLE_OPTIONS}`,
    ],
  },
  {
    version: 2,
    name: 'job history: node filter and retry links',
    statements: [
      // History filtered by node, newest first: keyset paging needs the index to end in id.
      // retried_as links a job to the run a retry made of it, so a bulk retry touches each job once.
      `ALTER TABLE jobs ADD COLUMN retried_as BIGINT UNSIGNED NULL, ADD KEY idx_jobs_node_id (node_id, id)`,
    ],
  },
  {
    version: 3,
    name: 'index for per-task duration statistics',
    statements: [
      // tasks.durationStats reads a task's latest finished jobs of one status by finish time
      // (store/duration-stats.ts); with started_at in the index it never touches the rows.
      'ALTER TABLE jobs ADD KEY idx_jobs_task_status_finished (task_id, status, finished_at, started_at)',
    ],
  },
  {
    version: 4,
    name: 'dashboard: jobs by status and finish time',
    statements: [
      // The dashboard's counts and throughput read finished jobs of the last 24 h / hour per
      // status: this index makes each a range of one status's entries (covering, no table rows),
      // where idx_jobs_status_id would read every job of that status ever (docs/architecture.md).
      'ALTER TABLE jobs ADD KEY idx_jobs_status_finished (status, finished_at)',
    ],
  },
  {
    version: 5,
    name: 'attempts: captured environment and http exchange',
    statements: [
      // Written by the statements that insert the attempt (environment_json, at its claim) and
      // finish it (http_json), so they cost no extra round trip. Secrets are *** in both
      // before they are written (execution/attempt-capture.ts); MEDIUMTEXT as a command may be.
      'ALTER TABLE attempts ADD COLUMN environment_json MEDIUMTEXT NULL, ADD COLUMN http_json MEDIUMTEXT NULL',
    ],
  },
  {
    version: 6,
    name: 'jobs: drop the lease and node-status indexes',
    statements: [
      // Every claim and every finish changes `status` (and every heartbeat `lease_until`), and
      // each index that holds one is written each time. These two served only queries for
      // running jobs (the reaper, a node's own running jobs, its cancel requests), which are few
      // at any history size: the ('running') range of idx_jobs_status_id reaches them (store/
      // jobs.ts names it). Measured by bench/durable-floor.bench-run.ts (docs/benchmarks.md,
      // December 8th): MariaDB's CPU per job 10-17 % lower at every batch size. Dropping a
      // secondary index is done in place, without a table rebuild.
      'ALTER TABLE jobs DROP INDEX idx_jobs_status_lease, DROP INDEX idx_jobs_node_status',
    ],
  },
];

const LOCK_TIMEOUT_S = 60;

/** Applies pending migrations under GET_LOCK; returns the versions it applied. */
export async function migrate(pool: Pool, database: string, migrations: Migration[] = MIGRATIONS): Promise<number[]> {
  const conn = await pool.getConnection();
  const lockName = `tickr_migrate_${database}`.slice(0, 64);
  try {
    const [lockRows] = await conn.query<RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS got', [lockName, LOCK_TIMEOUT_S]);
    if (Number(lockRows[0]?.got) !== 1)
      throw new Error(`could not take the migration lock '${lockName}' within ${LOCK_TIMEOUT_S} s`);
    try {
      await conn.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
          version INT NOT NULL, name VARCHAR(200) NOT NULL, applied_at DATETIME(3) NOT NULL, PRIMARY KEY (version)
        ) ${TABLE_OPTIONS}`,
      );
      const [rows] = await conn.query<RowDataPacket[]>('SELECT version FROM schema_migrations');
      const done = new Set(rows.map((r) => Number(r.version)));
      const applied: number[] = [];
      for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
        if (done.has(m.version)) continue;
        // DDL commits implicitly in MySQL, so a migration is not atomic; each statement is
        // written to be the only change of its kind, and the lock keeps others out meanwhile.
        for (const sql of m.statements) await conn.query(sql);
        await conn.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, UTC_TIMESTAMP(3))', [
          m.version,
          m.name,
        ]);
        applied.push(m.version);
      }
      return applied;
    } finally {
      await conn.query('SELECT RELEASE_LOCK(?)', [lockName]);
    }
  } finally {
    conn.release();
  }
}
