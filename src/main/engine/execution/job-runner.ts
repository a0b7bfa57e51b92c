import { httpSpecSchema } from '../../../shared/schemas';
import type { Job } from '../../../shared/types';
import { jobFromRow } from '../store/rows';
import type { PartContext } from '../context';
import { announceJob } from '../events/job-updated';
import { redact, redactionList } from '../secrets/redaction';
import { plainEnv, secretValues, SecretUnavailableError } from '../secrets/task-env';
import { openHttp, type HttpRequest } from '../secrets/task-http';
import { redactExchange } from './attempt-capture';
import type { DurableRecorder } from './durable-recorder';
import type { ProcessRegistry } from './process-registry';
import { pushJobs, type PushContext } from '../intake/push-jobs';
import { planAfterAttempt, type AttemptResult, type ClaimedJob, type FinishPlan } from '../store/jobs';
import { seqBaseOf } from '../store/logs';
import type { TaskRecord } from '../store/tasks';
import { AttemptLog } from './workers/attempt-log';
import { runHttp } from './workers/http-executor';
import { runShell } from './workers/shell-executor';
import { jobVariables } from './workers/task-environment';
import type { ExecutionContext, ExecutionResult, StopReason } from './workers/types';
import type { SpawnProcess } from './workers/spawner/spawned-process';
import { describeIssues } from '../../../shared/validate';

interface RunningAttempt {
  jobId: string;
  stop: AbortController;
  /** Its work has ended and its result is being written: it holds its lease, but no worker. */
  recording: boolean;
}

export type RunnerContext = PushContext &
  PartContext<'bus' | 'pool' | 'secrets', 'logCapBytes' | 'logFlushMs' | 'killGraceMs' | 'nodeName'>;

/** An attempt that fails for a reason retrying cannot help with (the task itself is invalid). */
function invalid(error: string): ExecutionResult {
  return { outcome: 'failed', exitCode: null, signal: null, httpStatus: null, error, retryable: false };
}

/** A task with its secrets opened, for one attempt. */
interface OpenedTask {
  env: Record<string, string>;
  http: HttpRequest | null;
  /** Every secret the attempt holds in clear: redacted from its log and its error. */
  secrets: string[];
}

/** Where an attempt's logs and final result go: MySQL, or the local journal while MySQL is down. */
export type ResultRecorder = Pick<DurableRecorder, 'logs' | 'finish'>;

/**
 * Runs claimed jobs: picks the executor, streams the log, and records the attempt's result and
 * the job's next state (retry with linear back-off, or final).
 */
export class JobRunner {
  private readonly running = new Map<string, RunningAttempt>();

  constructor(
    private readonly ctx: RunnerContext,
    private readonly recorder: ResultRecorder,
    private readonly processes: ProcessRegistry,
    /** Forks shell jobs' processes; in this process when not given. */
    private readonly spawn?: SpawnProcess,
  ) {}

  /** Attempts running here whose result is not recorded yet. */
  get count(): number {
    return this.running.size;
  }

  /**
   * Attempts whose work (process, request) still runs: the node's busy workers. An attempt whose
   * work has ended may have handed its worker on while its result is written (the dispatcher).
   */
  get busy(): number {
    let n = 0;
    for (const attempt of this.running.values()) if (!attempt.recording) n += 1;
    return n;
  }

  /** The jobs whose attempts run here now: the only leases this node renews. */
  runningIds(): string[] {
    return [...this.running.keys()];
  }

  isRunning(jobId: string): boolean {
    return this.running.has(jobId);
  }

  /** Stops a running attempt; returns false if it does not run here. */
  stop(jobId: string, reason: StopReason): boolean {
    const attempt = this.running.get(jobId);
    if (!attempt) return false;
    if (!attempt.stop.signal.aborted) attempt.stop.abort(reason);
    return true;
  }

  stopAll(reason: StopReason): void {
    for (const id of this.running.keys()) this.stop(id, reason);
  }

  /**
   * Runs the attempt and records its result. `onExecuted` is called once its work has ended (the
   * process exited, the response was read), before the result is written: from then on the
   * attempt needs no worker, only its lease, which is renewed until the result is committed.
   */
  async run(claim: ClaimedJob, task: TaskRecord | null, onExecuted?: () => void): Promise<void> {
    const { ctx } = this;
    const row = claim.row;
    const jobId = String(row.id);
    const stop = new AbortController();
    const attempt: RunningAttempt = { jobId, stop, recording: false };
    this.running.set(jobId, attempt);
    void announceJob(ctx, row);
    let finalJob: Job | null = null;
    try {
      // A secret this node cannot open fails the attempt below with the reason; nothing to redact.
      const opened = task ? this.openTask(task) : null;
      const secrets = opened && !(opened instanceof Error) ? opened.secrets : [];
      // Each attempt numbers its log from its own base, so attempts never collide (store/logs.ts).
      const lastSeq = seqBaseOf(row.attempt);
      const log = new AttemptLog({
        jobId,
        attempt: row.attempt,
        lastSeq,
        capBytes: ctx.config.logCapBytes,
        flushMs: ctx.config.logFlushMs,
        secrets,
        persist: (chunks) => this.recorder.logs(chunks),
        onPersisted: (entries) => ctx.bus.emit('job.log', { jobId, entries }),
        onError: (err) => ctx.log.warn(`job ${jobId}: log write failed: ${(err as Error).message}`),
      });
      const exec: ExecutionContext = {
        timeoutMs: task?.task.timeoutMs ?? 60_000,
        killGraceMs: ctx.config.killGraceMs,
        log,
        stop: stop.signal,
        onSpawn: (pid) => void this.processes.add(jobId, pid),
        ...(this.spawn ? { spawn: this.spawn } : {}),
      };
      log.system(`attempt ${row.attempt} of ${row.max_attempts} on node ${ctx.config.nodeName} (${ctx.nodeId})`);
      const result = await this.execute(task, opened, exec, jobId, row.attempt);
      attempt.recording = true;
      onExecuted?.();
      // The error goes to MySQL and into events as well as the log: redacted the same way.
      const error = result.error === null ? null : redact(result.error, secrets);
      if (error && result.outcome !== 'succeeded') log.system(error);
      const lastChunks = await log.closeForFinish();

      const now = new Date();
      const plan: FinishPlan = result.retryable
        ? planAfterAttempt({
            outcome: result.outcome,
            attempt: row.attempt,
            maxAttempts: row.max_attempts,
            retryDelayMs: task?.task.retryDelayMs ?? 0,
            now,
          })
        : { status: 'failed', dueAt: null };
      const attemptResult: AttemptResult = {
        outcome: result.outcome,
        exitCode: result.exitCode,
        signal: result.signal,
        httpStatus: result.httpStatus,
        error,
        finishedAt: now,
        http: result.exchange ? redactExchange(result.exchange, secrets) : null,
      };
      const outcome = await this.recorder.finish({
        id: jobId,
        attempt: row.attempt,
        token: claim.token,
        result: attemptResult,
        plan,
        pinnedNodeId: row.pinned_node_id,
        logs: lastChunks,
      });
      log.published(lastChunks);
      if (outcome === 'recorded') {
        // What MySQL now holds, without reading it back.
        finalJob = {
          ...jobFromRow(row),
          status: plan.status,
          dueAt: plan.dueAt ? plan.dueAt.toISOString() : row.due_at.toISOString(),
          finishedAt: plan.status === 'waiting' ? null : now.toISOString(),
          exitCode: result.exitCode,
          error,
        };
      }
      if (outcome === 'stale')
        ctx.log.warn(`job ${jobId}: result of attempt ${row.attempt} not recorded: its lease was taken over`);
      // A journaled retry is queued by the replay, once MySQL agrees the job waits again.
      if (outcome === 'recorded' && plan.status === 'waiting' && plan.dueAt) {
        await pushJobs(ctx, [{ id: jobId, dueMs: plan.dueAt.getTime(), pinnedNodeId: row.pinned_node_id }]);
      }
    } finally {
      void this.processes.remove(jobId);
      this.running.delete(jobId);
      await ctx.queue.ack(jobId).catch(() => undefined);
      await announceJob(ctx, finalJob ?? jobId);
    }
  }

  /** The task's env and http request with their secrets opened, or why they cannot be on this node. */
  private openTask(task: TaskRecord): OpenedTask | Error {
    try {
      const env = plainEnv(task.env, this.ctx.secrets);
      const http = task.task.type === 'http' && task.http ? openHttp(task.http, this.ctx.secrets) : null;
      return {
        env,
        http: http?.request ?? null,
        secrets: redactionList(secretValues(env, task.env), http?.secrets ?? []),
      };
    } catch (err) {
      if (err instanceof SecretUnavailableError) return err;
      // A stored row that cannot be read as a task would fail every attempt alike.
      return new Error(`invalid task: its stored env or http request cannot be read: ${(err as Error).message}`);
    }
  }

  private async execute(
    task: TaskRecord | null,
    opened: OpenedTask | Error | null,
    exec: ExecutionContext,
    jobId: string,
    attempt: number,
  ): Promise<ExecutionResult> {
    if (!task || !opened) return invalid('invalid task: the task no longer exists');
    // Not retried: every attempt on this node would fail the same way until its key is fixed.
    if (opened instanceof Error) return invalid(opened.message);
    try {
      return await this.start(task, opened, exec, jobId, attempt);
    } catch (err) {
      // An executor that throws (spawn refusing its arguments, say) fails the attempt with the
      // reason; it must never leave the job running. The same input would throw again: not retried.
      return invalid(`could not start: ${(err as Error).message}`);
    }
  }

  private async start(
    task: TaskRecord,
    opened: OpenedTask,
    exec: ExecutionContext,
    jobId: string,
    attempt: number,
  ): Promise<ExecutionResult> {
    const t = task.task;
    if (t.type === 'shell') {
      if (!t.command) return invalid('invalid task: a shell task needs a command');
      const jobEnv = jobVariables(jobId, t.id, attempt);
      // Journaled before the fork, so a node killed before it learns the pid still leaves a trace.
      this.processes.starting(jobId);
      return runShell({ command: t.command, cwd: t.cwd, env: { ...opened.env, ...jobEnv } }, exec);
    }
    if (t.type === 'http') {
      // The spec as the API shows it is checked (its errors never quote a value); the opened one is sent.
      const parsed = httpSpecSchema.safeParse(t.http);
      if (!parsed.success) return invalid(`invalid task: http.${describeIssues(parsed.error.issues)}`);
      if (!opened.http) return invalid('invalid task: an http task needs its request (http)');
      return runHttp(opened.http, exec);
    }
    return invalid(`invalid task: unknown type '${String((t as { type: unknown }).type)}'`);
  }
}
