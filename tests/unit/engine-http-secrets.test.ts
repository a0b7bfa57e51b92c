import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { httpSpecSchema, taskCreateSchema, type HttpSpec } from '../../src/shared/schemas';
import { describeIssues } from '../../src/shared/validate';
import { runHttp } from '../../src/main/engine/execution/workers/http-executor';
import type { ExecutionContext } from '../../src/main/engine/execution/workers/types';
import { redact, redactionList } from '../../src/main/engine/secrets/redaction';
import { SecretBox } from '../../src/main/engine/secrets/secret-box';
import { plainEnv, SecretUnavailableError } from '../../src/main/engine/secrets/task-env';
import { httpView, openHttp, toStoredHttp, type StoredHttp } from '../../src/main/engine/secrets/task-http';

const box = new SecretBox(randomBytes(32));
const BEARER = 'tk_live_5e3b9a7c1d';
const PASSWORD = 'hunter2-pw';
const API_KEY = 'k3y-0f-the-api';

/** A spec as the API takes it, through the boundary's schema (defaults applied). */
function spec(input: unknown): HttpSpec {
  return httpSpecSchema.parse(input);
}

const withSecrets = spec({
  url: `https://ada:${PASSWORD}@api.example.test/v1/items?api_key=${API_KEY}&page=2`,
  headers: { Authorization: { value: `Bearer ${BEARER}`, secret: true }, Accept: 'application/json' },
});

describe('http secrets at rest: headers sealed like env, the URL sealed when it has secrets', () => {
  it('stores no secret in clear, and shows {secret: true} and *** in their place', () => {
    const stored = toStoredHttp(withSecrets, box);
    const json = JSON.stringify(stored);
    for (const secret of [BEARER, PASSWORD, API_KEY]) expect(json).not.toContain(secret);
    expect(stored.headers.Accept).toBe('application/json');
    expect(stored.sealedUrl?.startsWith('tickr-sealed:v1:')).toBe(true);
    expect(httpView(stored)).toEqual({
      method: 'GET',
      url: 'https://ada:***@api.example.test/v1/items?api_key=***&page=2',
      headers: { Authorization: { secret: true }, Accept: 'application/json' },
    });
  });

  it('opens them for the request: userinfo as Basic, unless the task sets its own Authorization', () => {
    const { request } = openHttp(toStoredHttp(withSecrets, box), box);
    expect(request).toEqual({
      method: 'GET',
      url: `https://api.example.test/v1/items?api_key=${API_KEY}&page=2`,
      shownUrl: 'https://ada:***@api.example.test/v1/items?api_key=***&page=2',
      headers: { Authorization: `Bearer ${BEARER}`, Accept: 'application/json' },
      // What the job page's inspector shows of them: the secret one as ***.
      shownHeaders: { Authorization: '***', Accept: 'application/json' },
    });
    const basicOnly = openHttp(toStoredHttp(spec({ url: withSecrets.url }), box), box).request;
    expect(basicOnly.headers).toEqual({ Authorization: `Basic ${Buffer.from(`ada:${PASSWORD}`).toString('base64')}` });
    expect(basicOnly.shownHeaders).toEqual({ Authorization: '***' });
  });

  it('lists every secret of the request for redaction: header value and its credentials, password, key, Basic', () => {
    const { secrets } = openHttp(toStoredHttp(spec({ ...withSecrets, headers: {} }), box), box);
    expect(secrets).toEqual(
      expect.arrayContaining([PASSWORD, API_KEY, Buffer.from(`ada:${PASSWORD}`).toString('base64')]),
    );
    const withHeader = openHttp(toStoredHttp(withSecrets, box), box).secrets;
    expect(withHeader).toEqual(expect.arrayContaining([`Bearer ${BEARER}`, BEARER, PASSWORD, API_KEY]));
    const list = redactionList(withHeader);
    expect(redact(`echo: Bearer ${BEARER}; token ${BEARER}; ${API_KEY}`, list)).toBe('echo: ***; token ***; ***');
  });

  it('keeps the stored values on update: {secret: true} for a header, *** in the URL', () => {
    const stored = toStoredHttp(withSecrets, box);
    const shown = httpView(stored);
    // Sent back as the API shows it: kept sealed as it was, without opening it.
    const same = toStoredHttp(spec(shown), new SecretBox(randomBytes(32)), stored);
    expect(same.sealedUrl).toBe(stored.sealedUrl);
    expect(same.headers.Authorization).toEqual(stored.headers.Authorization);
    // Edited around the secrets: the *** and {secret: true} still keep them.
    const edited = toStoredHttp(
      spec({ ...shown, url: shown.url.replace('page=2', 'page=3'), headers: { Authorization: { secret: true } } }),
      box,
      stored,
    );
    expect(openHttp(edited, box).request).toMatchObject({
      url: `https://api.example.test/v1/items?api_key=${API_KEY}&page=3`,
      headers: { Authorization: `Bearer ${BEARER}` },
    });
  });

  it('refuses {secret: true} or *** with nothing stored to keep, naming the field', () => {
    expect(() =>
      toStoredHttp(spec({ url: 'https://example.test/', headers: { 'X-Key': { secret: true } } }), box),
    ).toThrow(/^http\.headers\.X-Key: \{secret: true\} without a value keeps the task's stored secret/);
    expect(() => toStoredHttp(spec({ url: 'https://ada:***@example.test/' }), box)).toThrow(
      /^http\.url: \*\*\* in place/,
    );
    const stored = toStoredHttp(withSecrets, box);
    const otherNode = new SecretBox(randomBytes(32));
    expect(() =>
      toStoredHttp(spec({ ...httpView(stored), url: 'https://ada:***@moved.test/' }), otherNode, stored),
    ).toThrow(/^http\.url: \*\*\* keeps the stored URL's secrets, which cannot be opened on this node/);
  });

  it('seals a header under header:<name>: it cannot be opened as the env var of the same name', () => {
    const stored = toStoredHttp(
      spec({ url: 'https://example.test/', headers: { TOKEN: { value: BEARER, secret: true } } }),
      box,
    );
    expect(() => plainEnv({ TOKEN: stored.headers.TOKEN! }, box)).toThrow(
      /secret env TOKEN cannot be opened on this node: .*failed authentication/,
    );
    expect(() => openHttp(stored, new SecretBox(randomBytes(32)))).toThrow(SecretUnavailableError);
    expect(() => openHttp(stored, new SecretBox(randomBytes(32)))).toThrow(
      /^secret header TOKEN cannot be opened on this node/,
    );
  });

  it('marks more query names per task (http.secretQuery), and a URL without secrets is stored as it is', () => {
    const marked = toStoredHttp(
      spec({ url: 'https://example.test/?session=abcd1234&id=1', secretQuery: ['session'] }),
      box,
    );
    expect(JSON.stringify(marked)).not.toContain('abcd1234');
    expect(httpView(marked).url).toBe('https://example.test/?session=***&id=1');
    const plain = toStoredHttp(spec({ url: 'https://example.test/?id=1' }), box);
    expect(plain).toEqual({ method: 'GET', url: 'https://example.test/?id=1', headers: {} });
  });

  it('runs a row written before sealing unchanged, shows it masked, and seals it at the next update', () => {
    const legacy: StoredHttp = {
      method: 'POST',
      url: `https://ada:${PASSWORD}@example.test/hook?token=${API_KEY}`,
      headers: { Authorization: `Bearer ${BEARER}` },
      body: '{}',
    };
    expect(openHttp(legacy, box).request).toMatchObject({
      url: `https://example.test/hook?token=${API_KEY}`,
      headers: { Authorization: `Bearer ${BEARER}` },
      body: '{}',
    });
    expect(httpView(legacy).url).toBe('https://ada:***@example.test/hook?token=***');
    const updated = toStoredHttp(spec(httpView(legacy)), box, legacy);
    expect(JSON.stringify(updated)).not.toContain(PASSWORD);
    expect(openHttp(updated, box).request.url).toBe(`https://example.test/hook?token=${API_KEY}`);
  });
});

describe('http headers at the boundary', () => {
  const refusal = (http: unknown): string => {
    const r = taskCreateSchema.safeParse({ name: 'h', type: 'http', http });
    expect(r.success).toBe(false);
    return describeIssues(r.error?.issues ?? []);
  };

  it('take a string or {value, secret: true}; NUL bytes are refused in names and values', () => {
    expect(
      spec({ url: 'https://example.test/', headers: { A: 'x', B: { value: 'y', secret: true } } }).headers,
    ).toEqual({
      A: 'x',
      B: { value: 'y', secret: true },
    });
    expect(refusal({ url: 'https://example.test/', headers: { A: { value: 'x\0', secret: true } } })).toContain(
      'http.headers.A.value: must not contain a NUL byte',
    );
    expect(refusal({ url: 'https://example.test/', headers: { 'A\0': 'x' } })).toContain('http.headers');
    expect(refusal({ url: 'https://example.test/', headers: { A: { value: 'x', secret: false } } })).toContain(
      'http.headers.A',
    );
    expect(refusal({ url: 'https://example.test/', secretQuery: [''] })).toContain('http.secretQuery.0');
  });
});

describe('the http executor shows the URL only as it may be shown', () => {
  it('quotes the redacted URL in the log and in the error of a refused connection', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const { request } = openHttp(
      toStoredHttp(spec({ url: `http://ada:${PASSWORD}@127.0.0.1:${port}/x?api_key=${API_KEY}` }), box),
      box,
    );
    const lines: string[] = [];
    const ctx: ExecutionContext = {
      timeoutMs: 5_000,
      killGraceMs: 100,
      stop: new AbortController().signal,
      log: { system: (text) => lines.push(text), write: (_s, data) => lines.push(data.toString()) },
    };
    const result = await runHttp(request, ctx);
    const shown = `http://ada:***@127.0.0.1:${port}/x?api_key=***`;
    expect(result.outcome).toBe('failed');
    expect(result.error).toContain(`request to ${shown} failed: `);
    expect(result.error).toContain('ECONNREFUSED');
    expect(lines).toEqual([`GET ${shown}`]);
    for (const text of [result.error ?? '', ...lines]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(API_KEY);
    }
  });
});
