import { describe, expect, it } from 'vitest';
import { schedulePreviewSchema, taskCreateSchema, taskUpdateSchema } from '../../src/shared/schemas';
import { describeIssues } from '../../src/shared/validate';

/**
 * Inputs a hostile or careless client sends that the schema used to accept and the engine then
 * could not store or run. Each is refused at the boundary with a message naming the field.
 */
function refusal(
  schema: { safeParse(v: unknown): { success: boolean; error?: { issues: unknown[] } } },
  input: unknown,
) {
  const result = schema.safeParse(input);
  expect(result.success, `accepted ${JSON.stringify(input)}`).toBe(false);
  return describeIssues((result.error?.issues ?? []) as Parameters<typeof describeIssues>[0]);
}

const shell = { name: 'x', type: 'shell', command: 'true' } as const;

describe('times outside what MySQL DATETIME holds are refused, naming the field', () => {
  it.each([
    ['schedule.at', { ...shell, schedule: { type: 'once', at: '9999-12-31T23:59:59-14:00' } }],
    ['schedule.at', { ...shell, schedule: { type: 'once', at: '0999-12-31T23:59:59Z' } }],
    [
      'schedule.startAt',
      { ...shell, schedule: { type: 'interval', everyMs: 60_000, startAt: '+010000-01-01T00:00:00Z' } },
    ],
    ['schedule.endAt', { ...shell, schedule: { type: 'cron', expr: '* * * * *', endAt: '0000-01-01T00:00:00Z' } }],
  ])('%s', (field, input) => {
    expect(refusal(taskCreateSchema, input)).toMatch(new RegExp(`^${field.replace('.', '\\.')}: `));
  });

  it('schedule.preview from year 0 (it used to start in 1901)', () => {
    const msg = refusal(schedulePreviewSchema, {
      schedule: { type: 'interval', everyMs: 60_000 },
      from: '0000-01-01T00:00:00Z',
    });
    expect(msg).toMatch(/^from: must be between 1000-01-01/);
  });

  it('accepts the edges themselves', () => {
    for (const at of ['1000-01-01T00:00:00Z', '9999-12-31T23:59:59Z']) {
      expect(taskCreateSchema.safeParse({ ...shell, schedule: { type: 'once', at } }).success).toBe(true);
    }
  });
});

describe('inputs that cannot run are refused: NUL bytes', () => {
  it.each([
    ['command', { ...shell, command: 'echo a\0b' }],
    ['cwd', { ...shell, cwd: '/tmp\0/x' }],
    ['env.A', { ...shell, env: { A: 'x\0y' } }],
    ['env.A.value', { ...shell, env: { A: { value: 'x\0y', secret: true } } }],
  ])('%s', (field, input) => {
    expect(refusal(taskCreateSchema, input)).toContain(`${field}: must not contain a NUL byte`);
  });

  it.each([
    ['http.url', { url: 'http://example.test/a\0b' }],
    ['http.headers.X-A', { url: 'http://example.test/', headers: { 'X-A': 'v\0' } }],
  ])('%s', (field, http) => {
    expect(refusal(taskCreateSchema, { name: 'h', type: 'http', http })).toContain(field);
  });

  it('an env name with a NUL is refused by the name rule', () => {
    expect(refusal(taskCreateSchema, { ...shell, env: { 'A\0': 'x' } })).toContain('env');
  });

  it('applies to tasks.update too', () => {
    expect(refusal(taskUpdateSchema, { id: '1', command: 'a\0' })).toContain('command: must not contain a NUL byte');
  });
});

describe('inputs that cannot run are refused: a host name longer than DNS allows', () => {
  it('http.url with a 2,100-character host', () => {
    const url = `http://${'a'.repeat(2_100)}.test/`;
    expect(refusal(taskCreateSchema, { name: 'h', type: 'http', http: { url } })).toMatch(/^http\.url: /);
  });
});

describe('quirks that are now a clear 400', () => {
  it('an env key __proto__ is refused, not silently dropped', () => {
    const input = JSON.parse('{"name":"x","type":"shell","command":"env","env":{"__proto__":"x","A":"b"}}');
    expect(refusal(taskCreateSchema, input)).toBe('env.__proto__: is not a usable environment variable name');
  });

  it('a shell task with an http spec, and an http task with a command, are refused', () => {
    expect(refusal(taskCreateSchema, { ...shell, http: { url: 'http://example.test/' } })).toMatch(
      /^http: is only for an http task/,
    );
    expect(
      refusal(taskCreateSchema, { name: 'h', type: 'http', command: 'true', http: { url: 'http://example.test/' } }),
    ).toMatch(/^command: is only for a shell task/);
  });
});
