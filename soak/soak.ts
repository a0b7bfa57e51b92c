import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2';
import { runChecks, type Violation } from './checks';
import { FaultInjector, planFaults } from './faults';
import { prng } from './prng';
import { RunLog } from './run-log';
import { dumpRedis, scanForSecrets } from './secret-scan';
import { plantSecrets } from './secrets';
import { DATABASE, NODE_NAMES, setUpCluster, type Cluster } from './setup';
import { summaryLines, violationLines, type Summary } from './summary';
import { createTasks, longJobsOn, planBursts, planTasks, sendBurst, type Workload } from './workload';

export interface SoakOptions {
  minutes: number;
  seed: number;
  /** The run folder; default a new one under the temp dir, named for the time and seed. */
  dir?: string;
  /** Progress lines (faults, phases); default console.log. */
  print?: (line: string) => void;
}

export interface SoakResult {
  summary: Summary;
  violations: Violation[];
  lines: string[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Time for the workload and the faults to come to rest before the checks. */
const SETTLE_MS = 45_000;

async function rootConnection(cluster: Cluster): Promise<mysql.Connection> {
  const u = new URL(cluster.servers.mariadb.url);
  return mysql.createConnection({
    host: u.hostname,
    port: Number(u.port),
    user: 'root',
    database: DATABASE,
    timezone: 'Z',
  });
}

/** Retries `fn` through any node that is up until it succeeds or `ms` pass. */
async function anyNode<T>(cluster: Cluster, ms: number, fn: (n: Cluster['nodes'][number]) => Promise<T>): Promise<T> {
  const deadline = Date.now() + ms;
  for (let i = 0; ; i++) {
    const node = cluster.nodes[i % cluster.nodes.length]!;
    try {
      if (node.up) return await fn(node);
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new Error('no node answered');
    await sleep(250);
  }
}

/**
 * Pauses the recurring tasks (their pending occurrences are cancelled with a reason), then waits
 * until MySQL holds no job waiting, ready or running and every journal is replayed.
 */
async function settle(cluster: Cluster, workload: Workload, log: RunLog): Promise<Map<string, number>> {
  const pausedAt = new Map<string, number>();
  for (const t of workload.tasks.filter((x) => x.recurring)) {
    const at = Date.now();
    await anyNode(cluster, 30_000, (n) => n.call('tasks.pause', { id: t.id }));
    pausedAt.set(t.id, at);
  }
  log.event('settle.paused');
  const db = await rootConnection(cluster);
  try {
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      const [rows] = await db.query<RowDataPacket[]>(
        "SELECT COUNT(*) AS n FROM jobs WHERE status IN ('waiting','ready','running')",
      );
      const pending = Number(rows[0]?.n);
      if (pending === 0 || Date.now() > deadline) {
        log.event('settle.done', { pending });
        break;
      }
      await sleep(500);
    }
  } finally {
    await db.end();
  }
  return pausedAt;
}

export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const print = opts.print ?? ((line: string) => console.log(line));
  const dir =
    opts.dir ?? path.join(os.tmpdir(), `tickr-soak-${new Date().toISOString().replace(/[:.]/g, '-')}-seed${opts.seed}`);
  const log = new RunLog(dir);
  log.write(
    'seed.json',
    `${JSON.stringify({ seed: opts.seed, minutes: opts.minutes, replay: `npm run soak -- --minutes ${opts.minutes} --seed ${opts.seed}` }, null, 2)}\n`,
  );
  print(`[soak] seed ${opts.seed}, ${opts.minutes} min; run folder ${dir}`);
  const rand = prng(opts.seed);
  // Each plan draws from its own fork, taken in a fixed order: one plan's draws never shift another's.
  const [setupRand, taskRand, burstRand, faultRand] = [rand.fork(), rand.fork(), rand.fork(), rand.fork()];
  const secrets = plantSecrets();
  const cluster = await setUpCluster(setupRand, log, secrets);
  try {
    const plans = planTasks(taskRand, {
      file: cluster.sideEffects,
      httpUrl: cluster.http.url,
      envSecret: secrets.env,
      headerSecret: secrets.header,
      nodes: NODE_NAMES,
    });
    const workload = await createTasks(plans, cluster.nodes, log);
    const durationMs = Math.round(opts.minutes * 60_000);
    const pinnedOnce = workload.tasks.find((t) => t.name.startsWith('once-pinned-'))!.name;
    const bursts = planBursts(burstRand, durationMs - 8_000, NODE_NAMES, pinnedOnce);
    const drainBurst = burstRand.fork();
    const faults = new FaultInjector(cluster, log, print, async (f) => {
      const node = cluster.nodes.find((n) => n.name === f.node)!;
      if (f.kind === 'mysql.partition') return longJobsOn(node, workload, cluster.nodes, log);
      const jobs = Array.from({ length: 8 }, () => drainBurst.pick(['once-ok', 'once-flaky']));
      return sendBurst({ atMs: 0, via: node.name, jobs }, workload, cluster.nodes, log);
    });
    const workStart = Date.now();
    log.event('workload.start', { durationMs, bursts: bursts.length });
    // Settled to a value at once, so a fault that throws is not an unhandled rejection meanwhile.
    const faultsDone = faults
      .run(planFaults(faultRand, 10_000, NODE_NAMES), workStart - log.started + durationMs - 5_000)
      .then(
        () => null,
        (err: unknown) => err,
      );
    // Redis's keys and values every 5 s, for the secret search (a dump that meets Redis down is skipped).
    const redisDumps = setInterval(() => {
      void dumpRedis(cluster.servers.redis.url, log, 'during').catch(() => undefined);
    }, 5_000);
    const sending: Promise<void>[] = [];
    for (const burst of bursts) {
      const wait = workStart + burst.atMs - Date.now();
      if (wait > 0) await sleep(wait);
      sending.push(sendBurst(burst, workload, cluster.nodes, log));
    }
    await Promise.all(sending);
    const rest = workStart + durationMs - Date.now();
    if (rest > 0) await sleep(rest);
    const faultError = await faultsDone;
    clearInterval(redisDumps);
    if (faultError) throw faultError;
    for (const n of cluster.nodes) if (!n.up) await n.start();
    print('[soak] workload over: pausing tasks and letting the cluster settle');
    const pausedAt = await settle(cluster, workload, log);

    print('[soak] checking');
    const db = await rootConnection(cluster);
    let result: SoakResult;
    try {
      await dumpTables(db, log);
      const checks = await runChecks({
        db,
        workload,
        nodes: cluster.nodes,
        sideEffects: cluster.sideEffects,
        dataDirs: cluster.dataDirs,
        windows: faults.windows,
        startedMs: log.started,
        pausedAt,
      });
      const violations = [...checks.violations];
      const secretJobs = await db.query<RowDataPacket[]>(
        `SELECT id FROM jobs WHERE task_id IN (?) OR id IN (SELECT MAX(id) FROM jobs GROUP BY task_id) ORDER BY id DESC LIMIT 60`,
        [workload.secretTaskIds],
      );
      const scan = await scanForSecrets({
        nodes: cluster.nodes,
        redisUrl: cluster.servers.redis.url,
        db,
        database: DATABASE,
        log,
        secrets,
        jobIds: secretJobs[0].map((r) => String(r.id)),
      });
      violations.push(...scan.violations);
      violations.push(...(await secretsUsed(db, workload, cluster)));
      violations.push(...(await httpSideEffects(db, workload, cluster)));
      const [eventRows] = await db.query<RowDataPacket[]>(
        'SELECT kind, COUNT(*) AS n FROM system_events GROUP BY kind ORDER BY kind',
      );
      const summary: Summary = {
        seed: opts.seed,
        minutes: opts.minutes,
        ...checks.stats,
        faults: Object.fromEntries(faults.counts),
        engineEvents: Object.fromEntries(eventRows.map((r) => [String(r.kind), Number(r.n)])),
        violations: violations.length,
        secretsScannedBytes: scan.bytesScanned,
        runDir: dir,
      };
      result = { summary, violations, lines: [...violationLines(violations), ...summaryLines(summary)] };
    } finally {
      await db.end();
    }
    log.write('summary.json', `${JSON.stringify({ ...result.summary, violations: result.violations }, null, 2)}\n`);
    return result;
  } finally {
    await cluster.stop();
  }
}

/** The rows the checks read, kept in the run folder for reading a failure after the servers are gone. */
async function dumpTables(db: mysql.Connection, log: RunLog): Promise<void> {
  for (const [name, sql] of [
    [
      'mysql-tasks.ndjson',
      'SELECT id, name, schedule_json, overlap, catch_up, target, node_id, anchor_at, enabled FROM tasks',
    ],
    ['mysql-jobs.ndjson', 'SELECT * FROM jobs ORDER BY id'],
    ['mysql-attempts.ndjson', 'SELECT * FROM attempts ORDER BY job_id, attempt'],
    ['mysql-events.ndjson', 'SELECT * FROM system_events ORDER BY id'],
  ] as const) {
    const [rows] = await db.query<RowDataPacket[]>(sql);
    log.write(name, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }
}

/** An HTTP task's side effect is the request its target received: no attempt succeeded without one. */
async function httpSideEffects(db: mysql.Connection, workload: Workload, cluster: Cluster): Promise<Violation[]> {
  const out: Violation[] = [];
  for (const task of workload.tasks.filter((t) => t.behaviour === 'http')) {
    const [rows] = await db.query<RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM attempts a JOIN jobs j ON j.id=a.job_id WHERE j.task_id=? AND a.outcome='succeeded'",
      [task.id],
    );
    const succeeded = Number(rows[0]?.n);
    const hits = cluster.http.hits.get(`/stall/${task.name}`) ?? 0;
    if (hits < succeeded)
      out.push({
        check: 'lost',
        detail: `${task.name}: ${succeeded} attempts succeeded, the server saw ${hits} requests`,
      });
  }
  return out;
}

/** A search for secrets proves nothing unless they were used: the secret task ran, and its header arrived. */
async function secretsUsed(db: mysql.Connection, workload: Workload, cluster: Cluster): Promise<Violation[]> {
  const out: Violation[] = [];
  const [rows] = await db.query<RowDataPacket[]>(
    "SELECT COUNT(*) AS n FROM job_logs l JOIN jobs j ON j.id=l.job_id WHERE j.task_id IN (?) AND LOCATE('the secret is ***', l.text) > 0",
    [workload.secretTaskIds],
  );
  if (Number(rows[0]?.n) === 0)
    out.push({
      check: 'secret',
      detail: 'no run of the secret task logged its (redacted) env secret: the search proves nothing',
    });
  if (cluster.http.secretHeaderSeen === 0)
    out.push({
      check: 'secret',
      detail: 'the HTTP target never received the secret header: the search proves nothing',
    });
  return out;
}
