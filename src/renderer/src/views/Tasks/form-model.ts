import {
  HTTP_METHODS,
  taskCreateSchema,
  type CatchUpPolicy,
  type OverlapPolicy,
  type ScheduleInput,
  type SecretableValue,
  type TaskTarget,
  type TaskType,
} from '../../../../shared/schemas';
import type { MaskedValues, Task } from '../../../../shared/types';

/**
 * The task editor's state, pure: what the user typed (numbers stay strings while typed, so a
 * half-typed "1." is not lost), how it becomes a tasks.create / tasks.update input, and which field
 * each problem belongs to. The components only render it; the rules are unit-tested here.
 */

/** One env variable or http header; `stored` marks a secret the task already holds (never shown). */
export interface ValueRow {
  /** A stable key for React; rows are reordered and removed. */
  key: string;
  name: string;
  value: string;
  secret: boolean;
  /** True for a secret read back from tasks.get: an empty value keeps it, a typed one replaces it. */
  stored: boolean;
}

export type ScheduleKind = 'once' | 'interval' | 'cron';
export type OnceMode = 'now' | 'at' | 'delay';
export const TIME_UNITS = { seconds: 1_000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
export type TimeUnit = keyof typeof TIME_UNITS;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface TaskFormState {
  /** null for a new task. */
  id: string | null;
  name: string;
  type: TaskType;
  command: string;
  cwd: string;
  env: ValueRow[];
  method: HttpMethod;
  url: string;
  headers: ValueRow[];
  body: string;
  scheduleKind: ScheduleKind;
  onceMode: OnceMode;
  /** A datetime-local value ('YYYY-MM-DDTHH:mm'), in the viewer's zone. */
  onceAt: string;
  delayValue: string;
  delayUnit: TimeUnit;
  everyValue: string;
  everyUnit: TimeUnit;
  cronExpr: string;
  timezone: string;
  startAt: string;
  endAt: string;
  maxAttempts: string;
  retryDelaySeconds: string;
  timeoutSeconds: string;
  overlap: OverlapPolicy;
  catchUp: CatchUpPolicy;
  target: TaskTarget;
  enabled: boolean;
}

/** Field errors by the contract's field path ('name', 'schedule.expr', 'env.TOKEN', …). */
export type FieldErrors = Record<string, string>;

let rowCounter = 0;
export function newRow(partial: Partial<ValueRow> = {}): ValueRow {
  rowCounter += 1;
  return { key: `row-${rowCounter}`, name: '', value: '', secret: false, stored: false, ...partial };
}

export function machineZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function emptyForm(zone: string = machineZone()): TaskFormState {
  return {
    id: null,
    name: '',
    type: 'shell',
    command: '',
    cwd: '',
    env: [],
    method: 'GET',
    url: '',
    headers: [],
    body: '',
    scheduleKind: 'cron',
    onceMode: 'now',
    onceAt: '',
    delayValue: '10',
    delayUnit: 'minutes',
    everyValue: '5',
    everyUnit: 'minutes',
    cronExpr: '0 9 * * 1-5',
    timezone: zone,
    startAt: '',
    endAt: '',
    maxAttempts: '3',
    retryDelaySeconds: '1',
    timeoutSeconds: '3600',
    overlap: 'skip',
    catchUp: 'once',
    target: 'any',
    enabled: true,
  };
}

/** An ISO instant as a datetime-local value in the viewer's zone; '' for none. */
export function toLocalInput(iso: string | undefined | null): string {
  if (iso === undefined || iso === null) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (viewer's zone) as an ISO instant; undefined when empty or unreadable. */
export function fromLocalInput(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The largest unit that divides `ms` exactly, so 300000 reads back as "5 minutes". */
export function splitDuration(ms: number): { value: string; unit: TimeUnit } {
  for (const unit of ['days', 'hours', 'minutes'] as const) {
    if (ms > 0 && ms % TIME_UNITS[unit] === 0) return { value: String(ms / TIME_UNITS[unit]), unit };
  }
  return { value: String(ms / 1000), unit: 'seconds' };
}

function rowsFrom(values: MaskedValues): ValueRow[] {
  return Object.entries(values).map(([name, v]) =>
    typeof v === 'string' ? newRow({ name, value: v }) : newRow({ name, secret: true, stored: true }),
  );
}

/** The form for editing `task`: its secrets arrive as `{secret: true}` and stay unseen. */
export function formFromTask(task: Task, zone: string = machineZone()): TaskFormState {
  const form: TaskFormState = {
    ...emptyForm(zone),
    id: task.id,
    name: task.name,
    type: task.type,
    command: task.command ?? '',
    cwd: task.cwd ?? '',
    env: rowsFrom(task.env),
    maxAttempts: String(task.maxAttempts),
    retryDelaySeconds: String(task.retryDelayMs / 1000),
    timeoutSeconds: String(task.timeoutMs / 1000),
    overlap: task.overlap,
    catchUp: task.catchUp,
    target: task.target,
    enabled: task.enabled,
  };
  if (task.http !== null) {
    form.method = task.http.method;
    form.url = task.http.url;
    form.headers = rowsFrom(task.http.headers);
    form.body = task.http.body ?? '';
  }
  const s = task.schedule;
  form.scheduleKind = s.type;
  if (s.type === 'once') {
    if (s.at !== undefined) {
      form.onceMode = 'at';
      form.onceAt = toLocalInput(s.at);
    } else if (s.delayMs !== undefined) {
      form.onceMode = 'delay';
      const d = splitDuration(s.delayMs);
      form.delayValue = d.value;
      form.delayUnit = d.unit;
    } else form.onceMode = 'now';
  } else {
    form.startAt = toLocalInput(s.startAt);
    form.endAt = toLocalInput(s.endAt);
    if (s.type === 'interval') {
      const d = splitDuration(s.everyMs);
      form.everyValue = d.value;
      form.everyUnit = d.unit;
    } else {
      form.cronExpr = s.expr;
      form.timezone = s.timezone ?? 'UTC';
    }
  }
  return form;
}

/** A number typed in a field: NaN when it is not one, so the check below can name the field. */
function numberOf(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

function valuesOf(rows: readonly ValueRow[], isUpdate: boolean): Record<string, SecretableValue> {
  const out: Record<string, SecretableValue> = {};
  for (const row of rows) {
    if (row.name.trim() === '' && row.value === '') continue;
    const name = row.name.trim();
    if (!row.secret) out[name] = row.value;
    // A stored secret left blank is kept as it is; `{secret: true}` alone says so (schemas.ts).
    else if (row.value === '' && row.stored && isUpdate) out[name] = { secret: true };
    else out[name] = { value: row.value, secret: true };
  }
  return out;
}

export function scheduleOf(form: TaskFormState): ScheduleInput {
  const bounds = {
    ...(fromLocalInput(form.startAt) !== undefined ? { startAt: fromLocalInput(form.startAt) } : {}),
    ...(fromLocalInput(form.endAt) !== undefined ? { endAt: fromLocalInput(form.endAt) } : {}),
  };
  switch (form.scheduleKind) {
    case 'once':
      if (form.onceMode === 'at') return { type: 'once', at: fromLocalInput(form.onceAt) ?? '' };
      if (form.onceMode === 'delay')
        return { type: 'once', delayMs: Math.round(numberOf(form.delayValue) * TIME_UNITS[form.delayUnit]) };
      return { type: 'once' };
    case 'interval':
      return {
        type: 'interval',
        everyMs: Math.round(numberOf(form.everyValue) * TIME_UNITS[form.everyUnit]),
        ...bounds,
      };
    case 'cron':
      return { type: 'cron', expr: form.cronExpr, timezone: form.timezone, ...bounds };
  }
}

/** The tasks.create input the form stands for (tasks.update adds the id: see toUpdateInput). */
export function toCreateInput(form: TaskFormState): Record<string, unknown> {
  const isUpdate = form.id !== null;
  const input: Record<string, unknown> = {
    name: form.name,
    type: form.type,
    schedule: scheduleOf(form),
    maxAttempts: numberOf(form.maxAttempts),
    retryDelayMs: Math.round(numberOf(form.retryDelaySeconds) * 1000),
    timeoutMs: Math.round(numberOf(form.timeoutSeconds) * 1000),
    overlap: form.overlap,
    catchUp: form.catchUp,
    target: form.target,
    enabled: form.enabled,
  };
  if (form.type === 'shell') {
    input.command = form.command;
    if (form.cwd.trim() !== '') input.cwd = form.cwd;
    input.env = valuesOf(form.env, isUpdate);
  } else {
    input.http = {
      method: form.method,
      url: form.url,
      headers: valuesOf(form.headers, isUpdate),
      ...(form.body !== '' ? { body: form.body } : {}),
    };
  }
  return input;
}

/** tasks.update replaces what it is given: an emptied cwd is sent as null so that it is cleared. */
export function toUpdateInput(form: TaskFormState): Record<string, unknown> {
  const input: Record<string, unknown> = { id: form.id, ...toCreateInput(form) };
  if (form.type === 'shell' && input.cwd === undefined) input.cwd = null;
  return input;
}

/** What the contract's own schema says of the form, by field path: the same rules the server applies. */
export function validateForm(form: TaskFormState): FieldErrors {
  const errors: FieldErrors = {};
  const result = taskCreateSchema.safeParse(toCreateInput(form));
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.map(String).join('.') || '(input)';
      errors[path] ??= issue.message;
    }
  }
  // Rules the schema cannot see: a datetime typed but unreadable, a secret row with no value.
  if (form.scheduleKind === 'once' && form.onceMode === 'at' && fromLocalInput(form.onceAt) === undefined)
    errors['schedule.at'] = 'pick a date and time';
  for (const [field, rows] of [
    ['env', form.env],
    ['http.headers', form.headers],
  ] as const) {
    if (form.type !== (field === 'env' ? 'shell' : 'http')) continue;
    for (const row of rows) {
      if (row.name.trim() === '' && row.value !== '') errors[`${field}.${row.key}`] = 'needs a name';
      if (row.secret && row.value === '' && !(row.stored && form.id !== null) && row.name.trim() !== '')
        errors[`${field}.${row.name.trim()}`] = 'a new secret needs a value';
    }
  }
  return errors;
}

/**
 * The server's message as field errors: TickrError messages name each field as
 * "schedule.expr: …; name: …" (shared/validate.ts). A message that names no field goes to '(form)'.
 */
export function serverFieldErrors(message: string): FieldErrors {
  const errors: FieldErrors = {};
  for (const part of message.split('; ')) {
    const match = /^([A-Za-z_][\w.-]*|\(input\)): (.+)$/s.exec(part);
    if (match === null || match[1] === '(input)') errors['(form)'] = errors['(form)'] ?? part;
    else errors[match[1] as string] ??= match[2] as string;
  }
  return errors;
}

/** The first error at `path` or under it ('env' finds 'env.TOKEN'). */
export function errorAt(errors: FieldErrors, path: string): string | undefined {
  if (errors[path] !== undefined) return errors[path];
  const key = Object.keys(errors).find((k) => k.startsWith(`${path}.`));
  return key === undefined ? undefined : errors[key];
}

/**
 * The linear retry rule in words (the engine's: after failed attempt n the job waits n × delay):
 * "Up to 2 retries; after failed attempt n the next waits n × 30 s: 30 s, 1 min."
 */
export function retryRuleInWords(maxAttempts: string, retryDelaySeconds: string): string {
  const attempts = numberOf(maxAttempts);
  const delay = numberOf(retryDelaySeconds);
  if (!Number.isFinite(attempts) || !Number.isFinite(delay)) return '';
  if (attempts <= 1) return 'No retries: one attempt only.';
  const waits = Array.from({ length: Math.min(attempts - 1, 4) }, (_, i) => formatSeconds((i + 1) * delay));
  const more = attempts - 1 > 4 ? ', …' : '';
  const retries = attempts - 1;
  return (
    `Up to ${retries} ${retries === 1 ? 'retry' : 'retries'}; after failed attempt n the next waits ` +
    `n × ${formatSeconds(delay)}: ${waits.join(', ')}${more}.`
  );
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Number(seconds.toFixed(3))} s`;
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [unit, label] of [
    [86_400, 'd'],
    [3_600, 'h'],
    [60, 'min'],
    [1, 's'],
  ] as const) {
    if (rest >= unit) {
      parts.push(`${Math.floor(rest / unit)} ${label}`);
      rest %= unit;
    }
  }
  return parts.join(' ');
}
