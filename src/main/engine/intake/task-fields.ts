import type { TaskCreateInput } from '../../../shared/schemas';
import { nextOccurrence, onceRunTime, resolveTimezone, validateSchedule } from '../schedule';
import type { SecretBox } from '../secrets/secret-box';
import { toStoredEnv, type StoredEnv } from '../secrets/task-env';
import { toStoredHttp, type StoredHttp } from '../secrets/task-http';
import type { NewJob } from '../store/jobs';
import type { NewTask } from '../store/tasks';

/** What a task's stored fields depend on besides its input: this node (for `this-node`) and its key. */
export interface TaskFieldsContext {
  nodeId: string;
  secrets: SecretBox;
}

/** JSON with sorted keys, so two equal schedules compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** A task's stored secrets before an update: what `{secret: true}` and a URL's *** keep. */
export interface PreviousSecrets {
  env: StoredEnv;
  http: StoredHttp | null;
}

/**
 * A task's row from validated input: the schedule checked and its zone resolved, secrets
 * sealed (a `{secret: true}` without a value, or *** in the URL, keeps `previous`'s), a
 * `this-node` task pinned here.
 */
export function toNewTask(
  ctx: TaskFieldsContext,
  input: TaskCreateInput,
  anchorAt: Date,
  previous: PreviousSecrets = { env: {}, http: null },
): NewTask {
  const schedule = input.schedule ?? { type: 'once' as const };
  validateSchedule(schedule);
  const timezone = resolveTimezone(schedule);
  const scheduleStored = schedule.type === 'cron' ? { ...schedule, timezone: timezone ?? undefined } : schedule;
  return {
    name: input.name,
    type: input.type,
    command: input.command ?? null,
    cwd: input.cwd ?? null,
    env: toStoredEnv(input.env, ctx.secrets, previous.env),
    http: input.http ? toStoredHttp(input.http, ctx.secrets, previous.http) : null,
    schedule: scheduleStored,
    timezone,
    maxAttempts: input.maxAttempts,
    retryDelayMs: input.retryDelayMs,
    timeoutMs: input.timeoutMs,
    overlap: input.overlap,
    catchUp: input.catchUp,
    target: input.target,
    nodeId: input.target === 'this-node' ? ctx.nodeId : null,
    enabled: input.enabled,
    anchorAt,
    nextRunAt: null,
  };
}

/** The first run of a new or rescheduled task, or null if its schedule never fires. */
export function firstRun(t: NewTask, now: Date): Date | null {
  const s = t.schedule;
  if (s.type === 'once') return onceRunTime(s, t.anchorAt);
  return nextOccurrence(s, new Date(now.getTime() - 1), t.anchorAt);
}

/** The job of a task's first run at `due`: an occurrence of its schedule, pinned as the task is. */
export function firstOccurrence(taskId: string, t: NewTask, due: Date): NewJob {
  return {
    taskId,
    maxAttempts: t.maxAttempts,
    scheduledFor: due,
    occurrenceAt: due,
    dueAt: due,
    pinnedNodeId: t.nodeId,
  };
}
