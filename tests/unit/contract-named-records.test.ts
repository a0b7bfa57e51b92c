import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { taskCreateSchema } from '../../src/shared/schemas';
import { TickrError } from '../../src/shared/errors';
import { describeIssues } from '../../src/shared/validate';
import { emptyRecord, ownValue } from '../../src/shared/own-record';
import { SecretBox } from '../../src/main/engine/secrets/secret-box';
import { plainEnv, secretValues, toStoredEnv } from '../../src/main/engine/secrets/task-env';
import { httpView, openHttp, toStoredHttp } from '../../src/main/engine/secrets/task-http';
import { taskEnvironment } from '../../src/main/engine/execution/workers/task-environment';

/**
 * Records keyed by names the caller picks (a task's env and http headers): a name an object's
 * prototype also has is a name like any other, `__proto__` is refused by name, and a header name
 * or value HTTP cannot carry is refused at the boundary instead of failing every run.
 */

const box = new SecretBox(randomBytes(32));
const shell = { name: 'x', type: 'shell', command: 'true' } as const;
const http = (headers: unknown) => ({ name: 'h', type: 'http', http: { url: 'http://127.0.0.1:9/', headers } });
/** `{"__proto__": …}` as JSON.parse makes it: an own key, as a client's JSON body has it. */
const ownProto = (value: unknown): Record<string, unknown> => JSON.parse(`{"__proto__": ${JSON.stringify(value)}}`);

function refusal(input: unknown): string {
  const r = taskCreateSchema.safeParse(input);
  expect(r.success, `accepted ${JSON.stringify(input)}`).toBe(false);
  return describeIssues(r.error?.issues ?? []);
}

describe('names an object prototype also has', () => {
  it('__proto__ is refused by name in env and in http headers, not dropped', () => {
    expect(refusal({ ...shell, env: ownProto('x') })).toMatch(
      /^env\.__proto__: is not a usable environment variable name/,
    );
    expect(refusal(http(ownProto('x')))).toMatch(/^http\.headers\.__proto__: is not a usable header name/);
    expect(refusal(http(ownProto({ value: 'v', secret: true })))).toMatch(/^http\.headers\.__proto__: /);
  });

  it('constructor, toString and the like are ordinary names, parsed into records with no prototype', () => {
    const parsed = taskCreateSchema.parse({ ...shell, env: { constructor: 'a', toString: 'b' } });
    expect(Object.getPrototypeOf(parsed.env)).toBeNull();
    expect({ ...parsed.env }).toEqual({ constructor: 'a', toString: 'b' });
    const none = taskCreateSchema.parse(shell);
    // No env given: still a record with no prototype, so a lookup of `constructor` finds nothing.
    expect(ownValue(none.env, 'constructor')).toBeUndefined();
  });

  it('{secret: true} for a name the task has no secret of is a 400 naming it, even if Object.prototype has it', () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const env = taskCreateSchema.parse({ ...shell, env: { [name]: { secret: true } } }).env;
      // Used to be a TypeError (a 500): `previous.constructor` is Object, which is not a stored secret.
      expect(() => toStoredEnv(env, box)).toThrow(TickrError);
      expect(() => toStoredEnv(env, box)).toThrow(new RegExp(`^env\\.${name}: \\{secret: true\\} without a value`));
    }
  });

  it('a secret named constructor is sealed, kept by {secret: true}, opened and redacted', () => {
    const stored = toStoredEnv(
      taskCreateSchema.parse({ ...shell, env: { constructor: { value: 'the-secret-value', secret: true } } }).env,
      box,
    );
    expect(JSON.stringify(stored)).not.toContain('the-secret-value');
    const kept = toStoredEnv(
      taskCreateSchema.parse({ ...shell, env: { constructor: { secret: true } } }).env,
      box,
      stored,
    );
    const opened = plainEnv(kept, box);
    expect(ownValue(opened, 'constructor')).toBe('the-secret-value');
    expect(secretValues(opened, kept)).toEqual(['the-secret-value']);
  });

  it('a shell task gets env variables named like prototype properties', () => {
    const env = taskEnvironment(
      { PATH: '/bin' },
      Object.assign(emptyRecord<string>(), { constructor: 'c', valueOf: 'v' }),
    );
    expect(Object.keys(env).sort()).toEqual(['PATH', 'constructor', 'valueOf']);
    expect(env.constructor).toBe('c');
  });

  it('http headers named like prototype properties are stored, shown and sent', () => {
    const spec = taskCreateSchema.parse(
      http({ toString: 'plain', constructor: { value: 'sealed-header-value', secret: true } }),
    ).http!;
    const stored = toStoredHttp(spec, box);
    expect({ ...httpView(stored).headers }).toEqual({ toString: 'plain', constructor: { secret: true } });
    const { request, secrets } = openHttp(stored, box);
    expect({ ...request.headers }).toEqual({ toString: 'plain', constructor: 'sealed-header-value' });
    expect(secrets).toContain('sealed-header-value');
  });
});

describe('http header names and values HTTP can carry', () => {
  it.each(['a b', 'x\r\ny', 'é', 'a:b', '(x)', '', 'X\tY'])(
    'refuses the header name %j, naming http.headers',
    (name) => {
      expect(refusal(http({ [name]: 'v' }))).toMatch(/^http\.headers\..*: header names are RFC 7230 tokens/s);
    },
  );

  it.each(['a\r\nInjected: 1', 'line\n', 'bell\u0007', '😀', 'x\u0100'])('refuses the header value %j', (value) => {
    expect(refusal(http({ 'X-A': value }))).toMatch(/^http\.headers\.X-A: header values hold/);
    expect(refusal(http({ 'X-A': { value, secret: true } }))).toMatch(/^http\.headers\.X-A\.value: header values hold/);
  });

  it('accepts tokens with every punctuation RFC 7230 allows, and Latin-1, spaces and tabs in values', () => {
    const headers = { "!#$%&'*+-.^_`|~09azAZ": 'v', 'X-Api-Key': 'café au lait\tok', Empty: '' };
    expect(taskCreateSchema.parse(http(headers)).http!.headers).toEqual(headers);
  });
});
