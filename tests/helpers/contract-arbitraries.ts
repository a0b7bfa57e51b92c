import fc from 'fast-check';
import type { z } from 'zod';
import { methods, METHOD_NAMES, type MethodName } from '../../src/shared/contract';
import {
  CATCH_UP_POLICIES,
  BULK_ACTIONS,
  HTTP_METHODS,
  JOB_STATUSES,
  OVERLAP_POLICIES,
  TASK_TARGETS,
  TASK_TYPES,
} from '../../src/shared/schemas';

/**
 * fast-check arbitraries for every method of the API contract (src/shared/contract.ts): inputs
 * shaped as the method's zod schema takes them, and hostile ones made from those by one
 * mutation (a field set to a hostile value, removed, or an extra field added, at any depth).
 *
 * Valid inputs are chosen so that what they make the node do stays harmless and short: commands
 * from a fixed list, http tasks aimed at a closed loopback port, schedules whose runs are at
 * least an hour apart, at most three quick attempts. A hostile value for `command` or `url` is
 * one a shell or fetch cannot do harm with either, should it be accepted.
 */

export interface FuzzCall {
  method: MethodName;
  input: unknown;
  /** What was done to the valid input, for the failure message. */
  mutation: string;
}

export interface ArbitraryOptions {
  /** A scratch folder valid shell tasks run in. */
  cwd: string;
  /** The highest id that valid ids are drawn from (ids of a fresh database are small). */
  maxId?: number;
}

// ---------------------------------------------------------------------------------------------
// Hostile values

/** 500 levels of arrays and objects, alternating. */
export function deeplyNested(levels = 500): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < levels; i++) v = i % 2 === 0 ? [v] : { a: v };
  return v;
}

/** An object with `key` as an own property, as JSON.parse makes one (a literal `__proto__:` sets the prototype). */
export function withOwnKey(key: string, value: unknown, base: Record<string, unknown> = {}): Record<string, unknown> {
  const out = { ...base };
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

export const BOUNDARY_NUMBERS = [
  0,
  -1,
  -0,
  1.5,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  1e308,
  -1e308,
  Number.MIN_VALUE,
];
/** Numbers as strings, which JSON clients send by mistake. */
export const NUMBER_STRINGS = ['NaN', 'Infinity', '-Infinity', '1e308', '0x10', '', ' 1', '1_000', '-0'];

/** Instants at and past the ends of what MySQL's DATETIME and JS's Date hold. */
export const FAR_DATES = [
  '0000-01-01T00:00:00Z',
  '0999-12-31T23:59:59Z',
  '1000-01-01T00:00:00Z',
  '1000-01-01T00:00:00+14:00',
  '1970-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '9999-12-31T23:59:59-14:00',
  '10000-01-01T00:00:00Z',
  '+010000-01-01T00:00:00Z',
  '-271821-04-20T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '2026-02-30T00:00:00Z',
  '2026-01-01T24:00:00Z',
  '2026-01-01',
];

export const LONE_SURROGATES = ['\uD800', '\uDFFF', 'a\uD83Db', 'x\uDE00', 'tail\uD83D', '\uDC00\uD800'];

/** Ids that are not ids, or ids past what a BIGINT holds. */
export const HOSTILE_IDS: unknown[] = [
  '0',
  '-1',
  '01',
  '1e3',
  '1.0',
  ' 1',
  'abc',
  '9223372036854775807',
  '9223372036854775808',
  '9999999999999999999',
  '18446744073709551616',
  '1'.repeat(40),
  1,
  '',
];

const hugeString = fc.constantFrom('x'.repeat(100_000), '€'.repeat(35_000), 'a\0'.repeat(50_000));
const nulString = fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })).map(([a, b]) => `${a}\0${b}`);
const surrogateString = fc
  .tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...LONE_SURROGATES), fc.string({ maxLength: 10 }))
  .map(([a, s, b]) => `${a}${s}${b}`);
const unicodeString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('😀', 'é', 'e\u0301', '\u202Eevil', '\uFEFF', '\u0000', '\u200B', '\r\n', '\t', ' '),
);

/** Any string a hostile client might send. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  hugeString,
  nulString,
  surrogateString,
  unicodeString,
  fc.constantFrom(...NUMBER_STRINGS, ...FAR_DATES, ...PROTOTYPE_KEYS),
);

const wrongType: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(null, true, false, [], {}, [1, 2], 'str', 42, {
  a: 1,
});

const prototypeObject: fc.Arbitrary<unknown> = fc
  .tuple(fc.constantFrom(...PROTOTYPE_KEYS), fc.constantFrom<unknown>('x', { secret: true }, { polluted: true }, 1))
  .map(([k, v]) => withOwnKey(k, v));

/** Any value a hostile client might send in place of a field. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom(...BOUNDARY_NUMBERS) },
  { weight: 2, arbitrary: wrongType },
  { weight: 1, arbitrary: fc.constant(deeplyNested()) },
  { weight: 1, arbitrary: prototypeObject },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_IDS) },
);

/**
 * Hostile values for the fields a job executes: whatever of these is accepted is run by `sh -c`
 * or fetched, so each is harmless there (a random string could be any command).
 */
const hostileCommand: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>('', ' ', 'true\0', '\0', 'echo \uD800', 'echo a\uDC00', 'x'.repeat(65_536)),
  fc.constantFrom<unknown>('echo "héllo 😀"', "echo '\u202E'", 'exit 3'),
  hugeString,
  wrongType,
  fc.constantFrom(...BOUNDARY_NUMBERS),
);
const CLOSED_PORT_URL = 'http://127.0.0.1:9/';
const hostileUrl: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    'ftp://127.0.0.1/',
    'javascript:alert(1)',
    'file:///etc/passwd',
    `http://${'a'.repeat(300)}/`,
    `http://${'a'.repeat(2_100)}/`,
    'http://127.0.0.1:9/\0',
    'http://127.0.0.1:9/\uD800',
    'http://[::1',
    'http://user:pw@127.0.0.1:9/?api_key=123456789',
    'http://127.0.0.1:99999/',
    '//127.0.0.1:9/',
    '',
  ),
  hugeString,
  wrongType,
);

/** Keys an extra field is added under. */
const extraKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...PROTOTYPE_KEYS, 'id', 'extra', '', ' ', 'a.b', 'a: b; c'),
  surrogateString,
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
);

// ---------------------------------------------------------------------------------------------
// Valid inputs, per field

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const idArb = (maxId: number): fc.Arbitrary<string> => fc.integer({ min: 1, max: maxId }).map(String);
const farFuture = fc
  .date({ min: new Date('2100-01-01T00:00:00Z'), max: new Date('9000-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const anyDate = fc
  .date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
/** Names as a shell or HTTP takes them; the ones an object's prototype also has come up often. */
const envName = fc.oneof(
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/),
  fc.constantFrom('constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'),
);
const headerName = fc.oneof(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/),
  fc.constantFrom('constructor', 'toString', 'Authorization', 'X-Api-Key'),
);
const plainValue = fc.string({ maxLength: 40 });
const secretable = fc.oneof(
  plainValue,
  plainValue.map((value) => ({ value, secret: true as const })),
);
const TIMEZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Pacific/Kiritimati'];
/** Cron expressions whose runs are months apart. */
const RARE_CRONS = ['0 0 1 1 *', '0 12 29 2 *', '30 3 1 */6 *', '0 0 31 12 *'];
const ANY_CRONS = [...RARE_CRONS, '* * * * *', '*/5 * * * *', '0 9 * * 1-5', '0 2 * * 0'];

/**
 * Schedules a stored task may have: runs an hour or more apart, the first one either far away
 * or, at most once, now.
 */
const storedSchedule = fc.oneof(
  fc.record({ type: fc.constant('once'), at: farFuture }),
  fc.record({ type: fc.constant('once'), delayMs: fc.integer({ min: HOUR, max: 366 * DAY }) }),
  fc.record(
    {
      type: fc.constant('interval'),
      everyMs: fc.integer({ min: HOUR, max: 366 * DAY }),
      startAt: farFuture,
      endAt: fc.constant('9999-01-01T00:00:00Z'),
    },
    { requiredKeys: ['type', 'everyMs', 'startAt'] },
  ),
  fc.record(
    {
      type: fc.constant('cron'),
      expr: fc.constantFrom(...RARE_CRONS),
      timezone: fc.constantFrom(...TIMEZONES),
      startAt: farFuture,
    },
    { requiredKeys: ['type', 'expr', 'startAt'] },
  ),
);

/** Schedules schedule.preview is asked about: any, since nothing runs. */
const previewSchedule = fc.oneof(
  storedSchedule,
  fc.record({ type: fc.constant('once'), at: anyDate }),
  fc.record(
    {
      type: fc.constant('interval'),
      everyMs: fc.integer({ min: 1_000, max: 366 * DAY }),
      startAt: anyDate,
      endAt: anyDate,
    },
    { requiredKeys: ['type', 'everyMs'] },
  ),
  fc.record(
    {
      type: fc.constant('cron'),
      expr: fc.constantFrom(...ANY_CRONS),
      timezone: fc.constantFrom(...TIMEZONES),
      startAt: anyDate,
    },
    { requiredKeys: ['type', 'expr'] },
  ),
);

/** Fields every task takes, whatever its type. */
function commonTaskFields() {
  return {
    name: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0),
    env: fc.dictionary(envName, secretable, { maxKeys: 3 }),
    schedule: storedSchedule,
    maxAttempts: fc.integer({ min: 1, max: 3 }),
    retryDelayMs: fc.integer({ min: 0, max: 50 }),
    timeoutMs: fc.integer({ min: 100, max: 60_000 }),
    overlap: fc.constantFrom(...OVERLAP_POLICIES),
    catchUp: fc.constantFrom(...CATCH_UP_POLICIES),
    target: fc.constantFrom(...TASK_TARGETS),
    enabled: fc.boolean(),
  };
}

const OPTIONAL_TASK_KEYS = [
  'env',
  'schedule',
  'maxAttempts',
  'retryDelayMs',
  'timeoutMs',
  'overlap',
  'catchUp',
  'target',
  'enabled',
  'cwd',
];

function shellTask(cwd: string) {
  return fc.record(
    {
      ...commonTaskFields(),
      type: fc.constant('shell' as const),
      command: fc.constantFrom('true', 'echo fuzz', 'exit 3', 'printf "%s" "$TICKR_JOB_ID"'),
      cwd: fc.constant(cwd),
    },
    { requiredKeys: ['name', 'type', 'command'] },
  );
}

const httpSpec = fc.record(
  {
    method: fc.constantFrom(...HTTP_METHODS),
    url: fc.constantFrom(
      CLOSED_PORT_URL,
      'http://127.0.0.1:9/path?token=abcdefgh&x=1',
      'http://u:secretpw@127.0.0.1:9/',
    ),
    headers: fc.dictionary(headerName, secretable, { maxKeys: 3 }),
    body: fc.string({ maxLength: 40 }),
    secretQuery: fc.array(fc.constantFrom('x', 'sig', 'key'), { maxLength: 2 }),
  },
  { requiredKeys: ['url'] },
);

function httpTask() {
  return fc.record(
    { ...commonTaskFields(), type: fc.constant('http' as const), http: httpSpec },
    {
      requiredKeys: ['name', 'type', 'http'],
    },
  );
}

const limit = fc.integer({ min: 1, max: 1000 });

/** A valid input for each contract method. */
export function validInputs(opts: ArbitraryOptions): { [M in MethodName]: fc.Arbitrary<Record<string, unknown>> } {
  const maxId = opts.maxId ?? 200;
  const id = idArb(maxId);
  const byId = fc.record({ id });
  const task = fc.oneof({ weight: 3, arbitrary: shellTask(opts.cwd) }, { weight: 1, arbitrary: httpTask() });
  const update = fc
    .tuple(id, task, fc.subarray(['name', 'type', 'command', 'http', 'cwd', ...OPTIONAL_TASK_KEYS]))
    .map(([taskId, t, keys]) => {
      const out: Record<string, unknown> = { id: taskId };
      for (const k of keys) if (k in t) out[k] = (t as Record<string, unknown>)[k];
      return out;
    });
  const empty = fc.constant({});
  const jobFilter = fc.record(
    {
      id,
      taskId: id,
      status: fc.constantFrom(...JOB_STATUSES),
      nodeId: fc.constantFrom('00000000-0000-4000-8000-000000000000', 'node-0123456789'),
      from: anyDate,
    },
    { requiredKeys: [] },
  );
  // A bulk action on one job at most (an id), so a run does not fan out into hundreds of jobs.
  const bulkRequest = fc.record({
    action: fc.constantFrom(...BULK_ACTIONS),
    filter: fc.tuple(jobFilter, id).map(([f, jobId]) => ({ ...f, id: jobId })),
  });
  const bulkId = fc.uuid().map((u) => `bulk-${u}`);
  return {
    'tasks.create': task,
    'tasks.update': update,
    'tasks.get': byId,
    'tasks.list': fc.record(
      { limit, cursor: id, enabled: fc.boolean(), type: fc.constantFrom(...TASK_TYPES) },
      { requiredKeys: [] },
    ),
    'tasks.delete': fc.record({ id, purge: fc.boolean() }, { requiredKeys: ['id'] }),
    'tasks.pause': byId,
    'tasks.resume': byId,
    'tasks.runNow': byId,
    'schedule.preview': fc.record(
      { schedule: previewSchedule, from: anyDate, count: fc.integer({ min: 1, max: 100 }) },
      { requiredKeys: ['schedule'] },
    ),
    'jobs.list': fc.record(
      { limit, cursor: id, taskId: id, status: fc.constantFrom(...JOB_STATUSES) },
      { requiredKeys: [] },
    ),
    'jobs.get': byId,
    'jobs.logs': fc.record(
      {
        id,
        attempt: fc.integer({ min: 1, max: 5 }),
        afterSeq: fc.nat({ max: 100 }),
        limit: fc.integer({ min: 1, max: 5000 }),
      },
      { requiredKeys: ['id'] },
    ),
    'jobs.cancel': byId,
    'jobs.retry': byId,
    'queues.snapshot': empty,
    'health.get': empty,
    'nodes.list': empty,
    'events.list': fc.record(
      {
        limit,
        cursor: id,
        kind: fc.constantFrom('node.started', 'row.unreadable', 'x', 'redis.*'),
        level: fc.constantFrom('info' as const, 'warn' as const, 'error' as const),
      },
      { requiredKeys: [] },
    ),
    'jobs.bulkPreview': bulkRequest,
    'jobs.bulkStart': bulkRequest,
    'jobs.bulkGet': fc.record({ id: bulkId }),
    'jobs.bulkStop': fc.record({ id: bulkId }),
    'jobs.bulkList': empty,
    'tasks.durationStats': fc.record({ taskIds: fc.array(id, { maxLength: 5 }) }),
    'tasks.recentRuns': fc.record({ taskIds: fc.array(id, { maxLength: 5 }) }),
    'health.history': empty,
    'jobs.counts': empty,
    'jobs.throughput': empty,
    'tasks.upcoming': fc.record({ limit: fc.integer({ min: 1, max: 500 }) }, { requiredKeys: [] }),
    'jobs.neighbours': byId,
    'tasks.pauseAll': empty,
    'tasks.resumeAll': empty,

    // Generous values only: the fuzz node's own jobs are young, and a policy this loose keeps them.
    'retention.get': empty,
    'retention.set': fc.record(
      {
        keepDays: fc.integer({ min: 30, max: 3650 }),
        maxJobsPerTask: fc.integer({ min: 10_000, max: 10_000_000 }),
        succeededLogDays: fc.integer({ min: 7, max: 3650 }),
        eventDays: fc.integer({ min: 30, max: 3650 }),
      },
      { requiredKeys: [] },
    ),
    'retention.runNow': empty,

    'settings.get': empty,
    // A headless node refuses every change (its settings are its environment's), whatever the input.
    'settings.update': fc.record(
      {
        concurrency: fc.integer({ min: 1, max: 256 }),
        nodeName: fc.constantFrom('fuzz-node', 'n'),
        logCapBytes: fc.integer({ min: 1024, max: 1_048_576 }),
        redis: fc.record({ url: fc.constant('redis://127.0.0.1:6379') }),
        desktop: fc.record({ theme: fc.constantFrom('system', 'light', 'dark') }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    ),
    // Closed loopback ports with a short timeout: each test is refused at once.
    'settings.testConnection': fc.oneof(
      fc.record({
        service: fc.constant('redis'),
        url: fc.constantFrom('redis://127.0.0.1:9', 'rediss://127.0.0.1:9/1'),
        timeoutMs: fc.constant(500),
      }),
      fc.record(
        {
          service: fc.constant('mysql'),
          url: fc.constantFrom('mysql://root@127.0.0.1:9/x', 'mysql://u@127.0.0.1:9/x?tls=1'),
          password: fc.constantFrom('', 'p'),
          timeoutMs: fc.constant(500),
        },
        { requiredKeys: ['service', 'url', 'timeoutMs'] },
      ),
    ),

    'diagnostics.check': fc.record(
      { maxIds: fc.integer({ min: 1, max: 10_000 }), budgetMs: fc.integer({ min: 100, max: 2_000 }) },
      { requiredKeys: [] },
    ),
    'diagnostics.repair': fc.record({ action: fc.constantFrom('sweep' as const, 'rebuild' as const) }),
  };
}

/** The top-level fields of a method's input schema, to check that a refusal names one of them. */
export function topLevelFields(method: MethodName): string[] {
  const schema = methods[method].input as z.ZodType & { shape?: Record<string, unknown>; def?: { in?: unknown } };
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  if (shape) return Object.keys(shape);
  // taskCreateSchema is an object with a refinement; zod keeps the object as its shape's owner.
  const inner = (schema as unknown as { def: { schema?: { shape?: Record<string, unknown> } } }).def.schema;
  return Object.keys(inner?.shape ?? {});
}

// ---------------------------------------------------------------------------------------------
// Mutations

type Path = (string | number)[];

/** Every path into a value's plain objects and arrays, the root included. */
function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (value !== null && typeof value === 'object' && prefix.length < 4) {
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, Array.isArray(value) ? Number(k) : k], out);
  }
  return out;
}

/** A copy of a JSON-like value, own `__proto__` keys kept as own keys. */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (value === null || typeof value !== 'object') return value;
  let out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out = withOwnKey(k, copy(v), out);
  return out;
}

type Mutation = { op: 'set'; value: unknown } | { op: 'delete' } | { op: 'extra'; key: string; value: unknown };

function apply(input: unknown, path: Path, m: Mutation): unknown {
  if (path.length === 0) {
    if (m.op === 'set') return m.value;
    if (m.op === 'delete') return undefined;
  }
  const root = copy(input);
  let parent: unknown = root;
  for (const step of path.slice(0, m.op === 'extra' ? path.length : -1))
    parent = (parent as Record<string, unknown>)[step as string];
  if (parent === null || typeof parent !== 'object') return root;
  const container = parent as Record<string, unknown>;
  const last = path[path.length - 1]!;
  if (m.op === 'extra') {
    if (Array.isArray(container)) container.push(m.value);
    else
      Object.defineProperty(container, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
  } else if (m.op === 'delete') {
    if (Array.isArray(container)) container.splice(Number(last), 1);
    else delete container[last as string];
  } else {
    Object.defineProperty(container, last, { value: m.value, enumerable: true, writable: true, configurable: true });
  }
  return root;
}

/** The hostile values that fit where a path points: executed fields get harmless ones. */
function hostileFor(path: Path): fc.Arbitrary<unknown> {
  const last = path[path.length - 1];
  if (last === 'command') return hostileCommand;
  if (last === 'url') return hostileUrl;
  if (last === 'at' || last === 'startAt' || last === 'endAt' || last === 'from') {
    return fc.oneof(fc.constantFrom(...FAR_DATES), hostileValue);
  }
  return hostileValue;
}

function describePath(path: Path): string {
  return path.length === 0 ? '(input)' : path.join('.');
}

/** One mutation of a valid input: a field set to a hostile value, removed, or an extra one added. */
export function mutated(
  valid: fc.Arbitrary<Record<string, unknown>>,
): fc.Arbitrary<{ input: unknown; mutation: string }> {
  return valid.chain((input) => {
    const paths = pathsOf(input);
    return fc.constantFrom(...paths).chain((path) =>
      fc
        .oneof(
          {
            weight: 4,
            arbitrary: hostileFor(path).map((value) => ({ op: 'set' as const, value })),
          },
          { weight: 1, arbitrary: fc.constant({ op: 'delete' as const }) },
          {
            weight: 2,
            arbitrary: fc.tuple(extraKey, hostileValue).map(([key, value]) => ({ op: 'extra' as const, key, value })),
          },
        )
        .map((m) => ({
          input: apply(input, path, m),
          mutation:
            m.op === 'extra'
              ? `extra ${JSON.stringify(m.key)} at ${describePath(path)}`
              : `${m.op} ${describePath(path)}`,
        })),
    );
  });
}

/**
 * A call of any contract method: a valid input a third of the time, else a mutated one. Inputs
 * that are not objects at all (a string, an array) come from mutating the root.
 */
export function contractCall(opts: ArbitraryOptions): fc.Arbitrary<FuzzCall> {
  const valid = validInputs(opts);
  // tasks.create and tasks.update take the richest inputs, so they get the most calls.
  const methodName = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom<MethodName>('tasks.create', 'tasks.update') },
    { weight: 4, arbitrary: fc.constantFrom(...METHOD_NAMES) },
  );
  return methodName.chain((method) =>
    fc.oneof(
      { weight: 1, arbitrary: valid[method].map((input) => ({ method, input: input as unknown, mutation: 'none' })) },
      { weight: 2, arbitrary: mutated(valid[method]).map(({ input, mutation }) => ({ method, input, mutation })) },
    ),
  );
}
