import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RowDataPacket } from 'mysql2';
import type { Connection } from 'mysql2/promise';
import type { DiagnosticsReport, Health } from '../src/shared/types';
import type { SoakNode } from './cluster';
import type { FaultWindow } from './faults';
import { readRuns, type Run } from './side-effects';
import type { SoakTask, Workload } from './workload';

export interface Violation {
  check: string;
  detail: string;
}

export interface CheckStats {
  jobs: number;
  occurrences: number;
  attempts: number;
  lost: number;
  duplicated: number;
  stuck: number;
  overlaps: number;
  /** Jobs run again after an interrupted attempt that had completed its work: the stated at-least-once case. */
  atLeastOnce: number;
  /** Retries that started while the attempt before them still ran, after its node was SIGKILLed (its orphan). */
  sideBySide: number;
  lateP99Ms: number | null;
  lateSamples: number;
}

export interface JobRow {
  id: string;
  taskId: string;
  status: string;
  attempt: number;
  maxAttempts: number;
  /** Its occurrence: occurrence_at, which a cancel of a never-run job clears (freeing the unique key), else scheduled_for. */
  occurrenceMs: number | null;
  dueMs: number;
  error: string | null;
}

export interface AttemptRow {
  jobId: string;
  attempt: number;
  node: string;
  startedMs: number;
  finishedMs: number | null;
  outcome: string;
}

export interface CheckInput {
  db: Connection;
  workload: Workload;
  nodes: SoakNode[];
  sideEffects: string;
  dataDirs: Map<string, string>;
  windows: FaultWindow[];
  /** Soak-time origin (epoch ms), to place fault windows. */
  startedMs: number;
  /** When each recurring task was paused (epoch ms, the request's start): occurrences up to it are due. */
  pausedAt: Map<string, number>;
}

const ms = (d: unknown): number | null => (d instanceof Date ? d.getTime() : null);

async function query(db: Connection, sql: string): Promise<RowDataPacket[]> {
  const [rows] = await db.query<RowDataPacket[]>(sql);
  return rows;
}

/** Adds one violation per item, the first ten in words and the rest as a count. */
function report(out: Violation[], check: string, items: string[]): void {
  for (const detail of items.slice(0, 10)) out.push({ check, detail });
  if (items.length > 10) out.push({ check, detail: `and ${items.length - 10} more` });
}

function p99(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
}

/**
 * The invariants of issue 13, read from MySQL (the soak's own root connection), the side-effect
 * file and the nodes' data dirs and APIs, after the soak has paused its tasks and let the
 * cluster settle.
 */
export async function runChecks(input: CheckInput): Promise<{ violations: Violation[]; stats: CheckStats }> {
  const { db, workload } = input;
  const violations: Violation[] = [];
  const nodeNames = new Map(
    (await query(db, 'SELECT id, name FROM nodes')).map((r) => [String(r.id), String(r.name).replace(/^soak-/, '')]),
  );
  const jobs = new Map<string, JobRow>(
    (
      await query(
        db,
        'SELECT id, task_id, status, attempt, max_attempts, occurrence_at, scheduled_for, due_at, error FROM jobs ORDER BY id',
      )
    ).map((r) => [
      String(r.id),
      {
        id: String(r.id),
        taskId: String(r.task_id),
        status: String(r.status),
        attempt: Number(r.attempt),
        maxAttempts: Number(r.max_attempts),
        occurrenceMs: ms(r.occurrence_at) ?? (r.status === 'cancelled' ? ms(r.scheduled_for) : null),
        dueMs: ms(r.due_at)!,
        error: r.error === null ? null : String(r.error),
      },
    ]),
  );
  const attempts = new Map<string, AttemptRow>(
    (await query(db, 'SELECT job_id, attempt, node_id, started_at, finished_at, outcome FROM attempts')).map((r) => [
      `${r.job_id}/${r.attempt}`,
      {
        jobId: String(r.job_id),
        attempt: Number(r.attempt),
        node: nodeNames.get(String(r.node_id)) ?? String(r.node_id),
        startedMs: ms(r.started_at)!,
        finishedMs: ms(r.finished_at),
        outcome: String(r.outcome),
      },
    ]),
  );
  const runs = readRuns(input.sideEffects);
  const pidNode = new Map<number, string>();
  for (const n of input.nodes) for (const [pid, name] of n.pids) pidNode.set(pid, name);
  const tasks = new Map(workload.tasks.map((t) => [t.id, t]));

  // --- lost: accepted jobs without a row, succeeded shell jobs that never ran, due occurrences without a record
  const lost: string[] = [];
  for (const [id, task] of workload.acceptedJobs) if (!jobs.has(id)) lost.push(`job ${id} (${task.name}) has no row`);
  for (const j of jobs.values()) {
    const task = tasks.get(j.taskId);
    if (!task || task.behaviour === 'http' || j.status !== 'succeeded') continue;
    const run = runs.get(`${j.id}/${j.attempt}`);
    if (!run || run.endMs === null)
      lost.push(`job ${j.id} (${task.name}) succeeded at attempt ${j.attempt} without running it`);
  }
  const occurrences = await checkOccurrences(db, input, jobs, lost);
  report(violations, 'lost', lost);

  // --- reasons: every skipped or cancelled job says why
  const unexplained = [...jobs.values()]
    .filter((j) => (j.status === 'skipped' || j.status === 'cancelled') && !j.error)
    .map((j) => `job ${j.id} is ${j.status} with no reason`);
  report(violations, 'reason', unexplained);

  // --- duplicated: an attempt run twice, a run with no claim, two completed runs not explained by an interruption
  const duplicated: string[] = [];
  const wrongNode: string[] = [];
  let atLeastOnce = 0;
  const runsByJob = new Map<string, Run[]>();
  for (const run of runs.values()) {
    const list = runsByJob.get(run.jobId) ?? [];
    list.push(run);
    runsByJob.set(run.jobId, list);
    const a = attempts.get(`${run.jobId}/${run.attempt}`);
    if (run.starts > 1) duplicated.push(`job ${run.jobId} attempt ${run.attempt} started ${run.starts} times`);
    if (!a) {
      duplicated.push(`job ${run.jobId} attempt ${run.attempt} ran with no attempt row (no claim)`);
      continue;
    }
    const ranOn = pidNode.get(run.pid) ?? pidNode.get(run.grandPid) ?? `pid ${run.pid}`;
    if (ranOn !== a.node)
      wrongNode.push(`job ${run.jobId} attempt ${run.attempt} ran on ${ranOn}, recorded on ${a.node}`);
    const task = tasks.get(jobs.get(run.jobId)?.taskId ?? '');
    if (task?.pinnedTo && ranOn !== task.pinnedTo)
      wrongNode.push(`job ${run.jobId} of ${task.name} (pinned to ${task.pinnedTo}) ran on ${ranOn}`);
  }
  for (const [jobId, list] of runsByJob) {
    const completed = list.filter((r) => r.endMs !== null).sort((x, y) => x.attempt - y.attempt);
    for (const [i, earlier] of completed.slice(0, -1).entries()) {
      const a = attempts.get(`${jobId}/${earlier.attempt}`);
      const later = completed[i + 1]!;
      const why = rerunCause(a, earlier, later, input.windows, input.startedMs);
      if (why) duplicated.push(`job ${jobId} completed in attempts ${earlier.attempt} and ${later.attempt}: ${why}`);
      else atLeastOnce += 1;
    }
  }
  const sideBySide = checkSideBySide(runsByJob, attempts, input.windows, input.startedMs, duplicated);
  report(violations, 'duplicated', duplicated);
  report(violations, 'node', wrongNode);

  // --- overlaps: no first attempt of a skip/queue task starts while another run of it goes on
  const overlaps = checkOverlaps(workload.tasks, jobs, attempts, runsByJob);
  report(violations, 'overlap', overlaps);

  // --- stuck: nothing left running, ready or due; no attempt past maxAttempts
  const now = Date.now();
  const stuck = [...jobs.values()]
    .filter((j) => j.status === 'running' || j.status === 'ready' || (j.status === 'waiting' && j.dueMs < now))
    .map((j) => `job ${j.id} is still ${j.status} (due ${new Date(j.dueMs).toISOString()})`);
  report(violations, 'stuck', stuck);
  const overAttempts = [...jobs.values()]
    .filter((j) => j.attempt > j.maxAttempts)
    .map((j) => `job ${j.id} at attempt ${j.attempt} of ${j.maxAttempts}`);
  for (const a of attempts.values()) {
    const j = jobs.get(a.jobId);
    if (j && a.attempt > j.maxAttempts)
      overAttempts.push(`job ${a.jobId} has attempt row ${a.attempt} of ${j.maxAttempts}`);
  }
  report(violations, 'maxAttempts', overAttempts);

  // --- journals empty, and every captured log in MySQL
  await checkJournals(input, violations);
  await checkLogs(db, runs, attempts, violations);

  // --- Redis and MySQL agree (the diagnostics check, through a node's API)
  await checkDiagnostics(input.nodes, violations);

  for (const n of input.nodes)
    if (n.crashes > 0)
      violations.push({ check: 'crash', detail: `node ${n.name} exited by itself ${n.crashes} time(s)` });

  // --- start lateness of first attempts due outside fault windows: claim time against due_at
  // (a run queued behind another is made due when its turn comes, so its wait is not counted)
  const late: number[] = [];
  for (const j of jobs.values()) {
    const first = attempts.get(`${j.id}/1`);
    // Only jobs that ran once: a retry moves due_at to its own due time.
    if (!tasks.has(j.taskId) || !first || j.attempt !== 1) continue;
    const due = j.dueMs - input.startedMs;
    if (input.windows.some((w) => due >= w.startMs - 1_000 && due <= w.endMs + 10_000)) continue;
    late.push(Math.max(0, first.startedMs - j.dueMs));
  }

  return {
    violations,
    stats: {
      jobs: jobs.size,
      occurrences,
      attempts: attempts.size,
      lost: lost.length,
      duplicated: duplicated.length,
      stuck: stuck.length,
      overlaps: overlaps.length,
      atLeastOnce,
      sideBySide,
      lateP99Ms: p99(late),
      lateSamples: late.length,
    },
  };
}

/**
 * Every occurrence of each interval task (anchor + k·everyMs, k ≥ 1) up to its pause has a job row
 * (run, skipped or cancelled: the reasons are checked apart), or falls in a range a
 * `schedule.missed` event recorded under the task's catch-up policy. Returns how many were due.
 */
async function checkOccurrences(
  db: Connection,
  input: CheckInput,
  jobs: Map<string, JobRow>,
  lost: string[],
): Promise<number> {
  const anchors = new Map(
    (await query(db, 'SELECT id, anchor_at FROM tasks')).map((r) => [String(r.id), ms(r.anchor_at)!]),
  );
  const missed = (await query(db, "SELECT data_json FROM system_events WHERE kind='schedule.missed'")).map(
    (r) => JSON.parse(String(r.data_json)) as { taskId: string; from: string; latest: string },
  );
  let due = 0;
  for (const task of input.workload.tasks) {
    if (!task.recurring || !task.everyMs) continue;
    const anchor = anchors.get(task.id)!;
    const until = (input.pausedAt.get(task.id) ?? Date.now()) - 1_000;
    const rows = new Set<number>();
    for (const j of jobs.values()) if (j.taskId === task.id && j.occurrenceMs !== null) rows.add(j.occurrenceMs);
    const ranges = missed
      .filter((m) => String(m.taskId) === task.id)
      .map((m) => [Date.parse(m.from), Date.parse(m.latest)] as const);
    for (let t = anchor + task.everyMs; t <= until; t += task.everyMs) {
      due += 1;
      if (rows.has(t)) continue;
      if (ranges.some(([from, latest]) => t >= from && t <= latest)) continue;
      lost.push(`occurrence ${new Date(t).toISOString()} of ${task.name} has no job and no recorded miss`);
    }
  }
  return due;
}

/** The faults after which a completed attempt may be run again: its node crashed, drained or was cut off. */
const AT_LEAST_ONCE_FAULTS = new Set(['node.kill', 'node.drain', 'mysql.partition']);

/**
 * Why a job whose work completed in `earlier` ran again in `later` is a violation, or null when it
 * is the stated at-least-once case: `earlier` is recorded `interrupted`, and between its start and
 * the rerun its node was killed, drained or cut off from MySQL. (An outage for everyone reaps
 * nothing: the results wait in the journals.)
 */
export function rerunCause(
  a: AttemptRow | undefined,
  earlier: Run,
  later: Run,
  windows: FaultWindow[],
  startedMs: number,
): string | null {
  if (a?.outcome !== 'interrupted') return `attempt ${earlier.attempt} is recorded ${a?.outcome ?? 'nowhere'}`;
  const explained = windows.some(
    (w) =>
      AT_LEAST_ONCE_FAULTS.has(w.kind) &&
      w.node === a.node &&
      w.startMs + startedMs <= later.startMs &&
      w.endMs + startedMs >= earlier.startMs,
  );
  return explained
    ? null
    : `attempt ${earlier.attempt} was interrupted on ${a.node}, which no crash, drain or partition had hit`;
}

/**
 * Two attempts of one job running at the same time. The one stated case is a crash: a node
 * killed with SIGKILL leaves its job's process group running (it is detached) until the node's
 * restart ends it, and another node may reap the lease and retry first. Anything else — a node
 * cut off from MySQL whose fence did not end the attempt before the retry began, a drain, an
 * outage for everyone — is a job run twice at once. Returns how many crash cases it saw.
 */
export function checkSideBySide(
  runsByJob: Map<string, Run[]>,
  attempts: Map<string, AttemptRow>,
  windows: FaultWindow[],
  startedMs: number,
  duplicated: string[],
): number {
  let crashes = 0;
  for (const [jobId, list] of runsByJob) {
    const sorted = [...list].sort((x, y) => x.startMs - y.startMs);
    for (const [i, later] of sorted.entries()) {
      for (const earlier of sorted.slice(0, i)) {
        const a = attempts.get(`${jobId}/${earlier.attempt}`);
        const end = earlier.exitMs ?? earlier.endMs ?? a?.finishedMs ?? Number.POSITIVE_INFINITY;
        if (end <= later.startMs) continue;
        const killed = windows.some(
          (w) =>
            w.kind === 'node.kill' &&
            w.node === a?.node &&
            w.startMs + startedMs >= earlier.startMs &&
            w.startMs + startedMs <= later.startMs,
        );
        if (a?.outcome === 'interrupted' && killed) crashes += 1;
        else
          duplicated.push(
            `job ${jobId}: attempt ${later.attempt} started while attempt ${earlier.attempt} (${a?.outcome ?? 'no row'}, on ${a?.node}) still ran, ${end - later.startMs} ms before it ended`,
          );
      }
    }
  }
  return crashes;
}

export function checkOverlaps(
  tasks: SoakTask[],
  jobs: Map<string, JobRow>,
  attempts: Map<string, AttemptRow>,
  runsByJob: Map<string, Run[]>,
): string[] {
  const out: string[] = [];
  for (const task of tasks) {
    if (task.overlap === 'allow' || task.behaviour === 'http') continue;
    // Each run: its process's start and end (its shell's exit; if SIGKILLed, when MySQL recorded
    // its end), and when its claim began (attempts.started_at, the node's clock).
    const spans: { jobId: string; attempt: number; claim: number; start: number; end: number; interrupted: boolean }[] =
      [];
    for (const j of jobs.values()) {
      if (j.taskId !== task.id) continue;
      for (const r of runsByJob.get(j.id) ?? []) {
        const a = attempts.get(`${j.id}/${r.attempt}`);
        if (!a) continue; // a run with no claim is reported as such
        const end = r.exitMs ?? r.endMs ?? a.finishedMs ?? Number.POSITIVE_INFINITY;
        spans.push({
          jobId: j.id,
          attempt: r.attempt,
          claim: a.startedMs,
          start: r.startMs,
          end,
          interrupted: a.outcome === 'interrupted',
        });
      }
    }
    for (const later of spans) {
      // Only a first attempt is held back by the overlap policy: a retry never is (docs/scheduling.md).
      if (later.attempt !== 1) continue;
      for (const earlier of spans) {
        if (earlier.jobId === later.jobId || earlier.interrupted) continue;
        // The earlier run counts only if it certainly was `running` in MySQL when the later claim
        // looked: its process had started (so its claim had committed) before that claim began.
        // A retry's claim takes no task lock, so one committing during the later claim may run
        // beside it: that is the documented "a retry is never held back", not an overlap.
        if (earlier.start < later.claim && earlier.end > later.start)
          out.push(
            `${task.name}: job ${later.jobId} started ${earlier.end - later.start} ms before job ${earlier.jobId} (attempt ${earlier.attempt}) ended`,
          );
      }
    }
  }
  return out;
}

async function checkJournals(input: CheckInput, violations: Violation[]): Promise<void> {
  for (const [name, dir] of input.dataDirs) {
    const file = path.join(dir, 'journal.ndjson');
    if (existsSync(file) && statSync(file).size > 0)
      violations.push({ check: 'journal', detail: `node ${name}: journal.ndjson holds ${statSync(file).size} bytes` });
  }
  for (const n of input.nodes) {
    const health = await n.call<Health>('health.get', {});
    if (health.mysql.journalPending > 0)
      violations.push({
        check: 'journal',
        detail: `node ${n.name}: ${health.mysql.journalPending} journal records pending`,
      });
  }
}

/** Each attempt that ended under the node's eyes (not interrupted) has its marker line in job_logs. */
async function checkLogs(
  db: Connection,
  runs: Map<string, Run>,
  attempts: Map<string, AttemptRow>,
  violations: Violation[],
): Promise<void> {
  const logged = new Set(
    (
      await query(
        db,
        "SELECT DISTINCT job_id, attempt FROM job_logs WHERE LOCATE(CONCAT('soak-log ', job_id, ' ', attempt), text) > 0",
      )
    ).map((r) => `${r.job_id}/${r.attempt}`),
  );
  const missing: string[] = [];
  for (const [key, run] of runs) {
    const a = attempts.get(key);
    if (!a || a.outcome === 'interrupted' || a.outcome === 'running') continue;
    // The marker is printed just after the S line: a run stopped (cancelled, timed out) within
    // moments of its start may have been ended between the two and printed nothing to log
    // (seed 202: a cancel 47 ms after the start). A run that completed its work, or lasted a
    // second, printed it.
    const stoppedAtOnce =
      (a.outcome === 'cancelled' || a.outcome === 'timed_out') &&
      run.endMs === null &&
      (run.exitMs === null || run.exitMs - run.startMs < 1_000);
    if (stoppedAtOnce) continue;
    if (!logged.has(key))
      missing.push(`job ${run.jobId} attempt ${run.attempt} (${a.outcome}): its log is not in MySQL`);
  }
  report(violations, 'logs', missing);
}

async function checkDiagnostics(nodes: SoakNode[], violations: Violation[]): Promise<void> {
  let last: DiagnosticsReport | null = null;
  // Three tries: a job moved within the last 2 s may be between two steps (the check says so).
  for (let i = 0; i < 3; i++) {
    last = await nodes[0]!.call<DiagnosticsReport>('diagnostics.check', {}, 60_000);
    if (last.clean && !last.partial) return;
    await new Promise((r) => setTimeout(r, 2_500));
  }
  const findings = last!.findings
    .filter((f) => f.count > 0)
    .map((f) => `${f.kind}: ${f.count}`)
    .join(', ');
  violations.push({
    check: 'diagnostics',
    detail: `Redis and MySQL disagree: ${findings || last!.markers.mismatch || `partial (${last!.stoppedBy})`}`,
  });
}
