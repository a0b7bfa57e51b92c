import { describe, expect, it } from 'vitest';
import { methods } from '../../src/shared/contract';
import { TickrError } from '../../src/shared/errors';
import { parseInput } from '../../src/shared/validate';
import { isWellFormed, malformedStrings } from '../../src/shared/well-formed';

/**
 * Strings with a lone surrogate (not well-formed UTF-16) used to be accepted and then turned
 * into U+FFFD on the way into MySQL, so the stored task was not the one sent. They are refused
 * at the boundary, in any field of any method, with a message naming the field.
 */

function refusal(method: keyof typeof methods, input: unknown): string {
  try {
    parseInput(methods[method].input, input);
  } catch (err) {
    expect(err).toBeInstanceOf(TickrError);
    expect((err as TickrError).code).toBe('BAD_INPUT');
    return (err as TickrError).message;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

const shell = { name: 'x', type: 'shell', command: 'true' } as const;

describe('strings that are not well-formed Unicode are refused, naming the field', () => {
  it.each([
    ['name', { ...shell, name: 'a\uD800b' }],
    ['command', { ...shell, command: 'echo \uDC00' }],
    ['cwd', { ...shell, cwd: '/tmp/x\uD83D' }],
    ['env.HOME', { ...shell, env: { HOME: '\uDFFF' } }],
    ['env.TOKEN.value', { ...shell, env: { TOKEN: { value: 'x\uD800', secret: true } } }],
    ['http.body', { name: 'x', type: 'http', http: { url: 'http://127.0.0.1/', body: '{"a":"\uD800"}' } }],
    ['http.url', { name: 'x', type: 'http', http: { url: 'http://127.0.0.1/\uD800' } }],
    ['schedule.expr', { ...shell, schedule: { type: 'cron', expr: '* * * * *\uD800' } }],
  ])('tasks.create %s', (field, input) => {
    expect(refusal('tasks.create', input)).toMatch(new RegExp(`^${field.replaceAll('.', '\\.')}: must be well-formed`));
  });

  it('a key with a lone surrogate is refused by the rule of its record, or as an unknown field', () => {
    expect(refusal('tasks.create', { ...shell, env: { ['A\uD800']: 'x' } })).toMatch(
      /^env\.A.: environment variable names use/,
    );
    expect(refusal('tasks.list', { ['\uDC00']: 1 })).toMatch(/^\(input\): Unrecognized key/);
  });

  it('holds for every method, tasks.update and list filters alike', () => {
    expect(refusal('tasks.update', { id: '1', name: '\uD800' })).toMatch(/^name: /);
    expect(refusal('events.list', { kind: 'x\uDC00' })).toMatch(/^kind: /);
    expect(refusal('jobs.get', { id: '1\uD800' })).toMatch(/^id: /);
  });

  it('accepts well-formed text outside the BMP, combining marks and RTL marks', () => {
    for (const name of ['😀 emoji', 'e\u0301', '\u202Eevil', '中文', '\uD83D\uDE00']) {
      expect(parseInput(methods['tasks.create'].input, { ...shell, name }).name).toBe(name.trim());
    }
  });
});

describe('malformedStrings', () => {
  it('finds lone surrogates at any depth, values and keys, and stops after five', () => {
    expect(malformedStrings({ a: [{ b: 'ok' }, { c: '\uD800' }] })).toEqual([{ path: ['a', 1, 'c'], isKey: false }]);
    expect(malformedStrings({ env: { ['A\uD800']: 'x' } })).toEqual([{ path: ['env'], isKey: true }]);
    expect(malformedStrings(Array.from({ length: 20 }, () => '\uDC00'))).toHaveLength(5);
    expect(malformedStrings({ ok: '😀', n: 1, z: null })).toEqual([]);
  });

  it('walks a 100,000-level nesting without overflowing the stack', () => {
    let deep: unknown = '\uD800';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(malformedStrings(deep)).toHaveLength(1);
  });

  it('isWellFormed agrees with String.prototype.isWellFormed', () => {
    for (const s of ['', 'a', '\uD800', '\uDC00\uD800', '\uD800\uDC00', 'x\uD83D', '😀']) {
      expect(isWellFormed(s)).toBe((s as unknown as { isWellFormed(): boolean }).isWellFormed());
    }
  });
});
