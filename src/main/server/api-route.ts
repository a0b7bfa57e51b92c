import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiHandler } from '../api/types';
import { isMethodName, type Result } from '../../shared/contract';
import { ERROR_CODES } from '../../shared/errors';
import { bearerToken, FOREIGN_ORIGIN_MESSAGE, originAllowed, tokensEqual } from './auth';
import { EVENTS_PATH } from './event-socket';
import { sendError, sendJsonText } from './responses';
import { describeError, type ServerLog } from './server-log';

/**
 * The API contract over HTTP: `POST /api/<method>` with a JSON object as body, answered with the
 * contract's envelope (`{ ok: true, data }` or `{ ok: false, error }`) and the HTTP status of its
 * error code. Input validation is the ApiHandler's; this route only turns bytes into a call.
 */

export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** How long a client that sent an oversized body may keep sending before its connection is cut. */
const OVERSIZE_DRAIN_MS = 5_000;

const API_PREFIX = '/api/';
/** Method names are `area.verb`; anything else is not worth a lookup or an echo in a message. */
const METHOD_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/;

/** True for the paths this route answers (the bare `/api` too, so it gets an API-style error). */
export function isApiPath(urlPath: string): boolean {
  return urlPath === '/api' || urlPath.startsWith(API_PREFIX);
}

/** HTTP status for an error code of the contract; codes it does not know are server faults. */
export function statusForCode(code: string): number {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, code) ? ERROR_CODES[code as keyof typeof ERROR_CODES] : 500;
}

type BodyResult = { kind: 'ok'; bytes: Buffer } | { kind: 'too-large' } | { kind: 'aborted' };

/**
 * Reads the request body up to `limit` bytes. It stops keeping data at the limit, so an
 * oversized body never sits in memory; the caller answers 413 and the rest is discarded.
 */
function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        settle({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => settle({ kind: 'ok', bytes: Buffer.concat(chunks) }));
    req.on('aborted', () => settle({ kind: 'aborted' }));
    req.on('error', () => settle({ kind: 'aborted' }));
    req.on('close', () => settle({ kind: 'aborted' }));
  });
}

/**
 * Answers 413 and discards the rest of the body. Cutting the connection at once would make the
 * client's TCP stack reset it while it is still sending, and it would often see a reset rather
 * than our answer; so it may finish sending for a while (into the void), then is cut off.
 */
function rejectOversized(req: IncomingMessage, res: ServerResponse): void {
  sendError(res, 413, 'BAD_INPUT', `body: larger than ${MAX_BODY_BYTES} bytes`, { Connection: 'close' });
  if (req.complete) return;
  const timer = setTimeout(() => req.socket.destroy(), OVERSIZE_DRAIN_MS);
  timer.unref();
  req.on('end', () => clearTimeout(timer));
  req.on('close', () => clearTimeout(timer));
  req.resume();
}

type ParsedBody = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

function parseBody(bytes: Buffer): ParsedBody {
  let text: string;
  try {
    // Invalid UTF-8 is not JSON text either; a lenient decode would hand the API replacement characters.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, message: 'body: not valid JSON' };
  }
  // An empty body means "no parameters", which is how parameterless methods are usually called.
  if (text.trim() === '') return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'body: not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'body: must be a JSON object' };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** The ApiHandler is typed to return a Result, but a bug behind it must not reach the client as a malformed answer. */
function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as { ok?: unknown; error?: unknown };
  if (r.ok === true) return true;
  if (r.ok !== false || typeof r.error !== 'object' || r.error === null) return false;
  const e = r.error as { code?: unknown; message?: unknown };
  return typeof e.code === 'string' && typeof e.message === 'string';
}

export interface ApiRouteOptions {
  api: ApiHandler;
  token: string;
  log: ServerLog;
}

/** Answers a request whose path `isApiPath` accepted; `urlPath` is already stripped of its query. */
export type ApiRoute = (req: IncomingMessage, res: ServerResponse, urlPath: string) => Promise<void>;

export function createApiRoute({ api, token, log }: ApiRouteOptions): ApiRoute {
  /** Calls the API and answers with its result; a throw or a malformed result is a bug, answered 500. */
  async function answerCall(res: ServerResponse, name: string, input: Record<string, unknown>): Promise<void> {
    let result: unknown;
    try {
      result = await api.call(name, input);
    } catch (err) {
      // A throw is a bug behind the API; the caller gets a generic message, the log the detail.
      log(`http: ${name} threw ${describeError(err)}`);
      sendError(res, 500, 'INTERNAL', 'internal error');
      return;
    }
    if (!isResult(result)) {
      log(`http: ${name} returned something that is not a result envelope`);
      sendError(res, 500, 'INTERNAL', 'internal error');
      return;
    }
    if (!result.ok) {
      sendError(res, statusForCode(result.error.code), result.error.code, result.error.message);
      return;
    }
    let text: string;
    try {
      // `data: undefined` would vanish from the JSON; null keeps the envelope's shape.
      text = JSON.stringify({ ok: true, data: result.data ?? null });
    } catch (err) {
      log(`http: ${name} returned data that cannot be serialized: ${describeError(err)}`);
      sendError(res, 500, 'INTERNAL', 'internal error');
      return;
    }
    sendJsonText(res, 200, text);
  }

  return async function handleApi(req, res, urlPath) {
    const name = urlPath.startsWith(API_PREFIX) ? urlPath.slice(API_PREFIX.length) : '';
    const allow = { Allow: 'POST, OPTIONS' };

    // Same-origin only: the preflight is answered, but without Access-Control-Allow-Origin,
    // so a browser on another origin never gets to send the real request.
    if (req.method === 'OPTIONS') {
      res.statusCode = 204;
      res.setHeader('Allow', allow.Allow);
      res.end();
      return;
    }
    if (urlPath === EVENTS_PATH) {
      sendError(res, 426, 'BAD_INPUT', 'events: connect with a WebSocket upgrade', { Upgrade: 'websocket' });
      return;
    }
    if (req.method !== 'POST') {
      sendError(res, 405, 'BAD_INPUT', `method not allowed: use POST`, allow);
      return;
    }
    // The event socket's Origin rule, for one rule over everything the token guards. Browsers send
    // their real Origin on a same-origin fetch POST (CORS mode, so Referrer-Policy does not null it).
    if (!originAllowed(req.headers)) {
      sendError(res, 403, 'FORBIDDEN', FOREIGN_ORIGIN_MESSAGE);
      return;
    }
    // Authenticate before looking at the method name or the body, so an anonymous caller learns nothing.
    const presented = bearerToken(req.headers.authorization);
    if (presented === null || !tokensEqual(presented, token)) {
      sendError(res, 401, 'UNAUTHORIZED', 'missing or invalid token', { 'WWW-Authenticate': 'Bearer' });
      return;
    }
    if (!METHOD_NAME_PATTERN.test(name) || !isMethodName(name)) {
      const shown = METHOD_NAME_PATTERN.test(name) ? `: ${name}` : '';
      sendError(res, 404, 'UNKNOWN_METHOD', `unknown method${shown}`);
      return;
    }

    const body = await readBody(req, MAX_BODY_BYTES);
    if (body.kind === 'aborted') {
      res.destroy();
      return;
    }
    if (body.kind === 'too-large') {
      rejectOversized(req, res);
      return;
    }
    const parsed = parseBody(body.bytes);
    if (!parsed.ok) {
      sendError(res, 400, 'BAD_INPUT', parsed.message);
      return;
    }
    await answerCall(res, name, parsed.value);
  };
}
