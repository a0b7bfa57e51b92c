import { Agent, interceptors, request, type Dispatcher } from 'undici';
import { HTTP_BODY_HEAD_BYTES, type HttpExchange } from '../../../../shared/types';
import type { HttpRequest } from '../../secrets/task-http';
import type { ExecutionContext, ExecutionResult } from './types';
import { stopError, stopOutcome } from './types';

/** Response headers kept for the inspector: enough for any real response, bounded for a hostile one. */
const MAX_RESPONSE_HEADERS = 100;
const MAX_HEADER_VALUE_CHARS = 2_000;
/** As many redirects as fetch follows; one more is a failure, as it was with fetch. */
export const MAX_REDIRECTS = 20;

/**
 * undici's request() rather than fetch (which Node builds on undici): fetch wraps every exchange
 * in WHATWG Request, Response, Headers and web streams, 0.17 ms of CPU per local GET against
 * 0.04 ms with request() (client and server counted, in one process); in warm rounds of HTTP
 * jobs the engine's CPU per job fell from 0.94–1.18 ms to 0.68–0.79 ms with this change
 * (docs/benchmarks.md, December 8th). The agent keeps connections alive as fetch's did. Its own
 * header and body timeouts (300 s each by default) are off: the task's timeout is the one limit,
 * whatever it is. Redirects are followed as fetch follows them (301/302 turn a POST into a GET,
 * 303 anything but HEAD; Authorization and Cookie are dropped on a redirect to another origin).
 */
const agent: Dispatcher = new Agent({ headersTimeout: 0, bodyTimeout: 0 }).compose(
  // With throwOnMaxRedirect the interceptor fails at the response that arrives once this many
  // were seen, the final one included: one more than the redirects to follow.
  interceptors.redirect({ maxRedirections: MAX_REDIRECTS + 1 }),
);

/**
 * The request's headers, with the defaults fetch used to add where the task sets none: a User-Agent
 * (some APIs refuse a request without one), an Accept of any type, and a text Content-Type for a body.
 * No Accept-Encoding: the body's head is shown as it came, and identity needs no decoding.
 */
function requestHeaders(req: HttpRequest, hasBody: boolean): Record<string, string> {
  const names = new Set(Object.keys(req.headers).map((n) => n.toLowerCase()));
  const defaults: Record<string, string> = {};
  if (!names.has('user-agent')) defaults['user-agent'] = 'Tickr';
  if (!names.has('accept')) defaults.accept = '*/*';
  if (hasBody && !names.has('content-type')) defaults['content-type'] = 'text/plain;charset=UTF-8';
  return { ...defaults, ...req.headers };
}

function result(partial: Partial<ExecutionResult> & Pick<ExecutionResult, 'outcome'>): ExecutionResult {
  return { exitCode: null, signal: null, httpStatus: null, error: null, retryable: true, ...partial };
}

/** Reads the body up to `limit` bytes; leaving the loop early destroys the rest (and its connection). */
async function readHead(body: AsyncIterable<Buffer>, limit: number): Promise<{ head: Buffer; truncated: boolean }> {
  const parts: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of body) {
    parts.push(chunk);
    size += chunk.byteLength;
    if (size > limit) {
      truncated = true;
      break;
    }
  }
  return { head: Buffer.concat(parts).subarray(0, limit), truncated };
}

/**
 * The response's headers as the inspector shows them: names sorted (as fetch's Headers listed
 * them), a repeated header's values joined by ", ", both counts and lengths bounded.
 */
function responseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  let n = 0;
  for (const name of Object.keys(headers).sort()) {
    const raw = headers[name];
    if (raw === undefined) continue;
    if (n++ >= MAX_RESPONSE_HEADERS) break;
    const value = Array.isArray(raw) ? raw.join(', ') : raw;
    out[name] = value.length > MAX_HEADER_VALUE_CHARS ? `${value.slice(0, MAX_HEADER_VALUE_CHARS)}…` : value;
  }
  return out;
}

/**
 * Sends one HTTP request. A status of 400 or more is a failure. What it writes shows the URL as
 * `shownUrl` (secrets as ***), never as sent; the runner also redacts every secret of the task.
 * The exchange it returns is the inspector's: the request as shown, the response's status and
 * headers, the time to its headers and to the end of the body's head, and that head.
 */
export async function runHttp(req: HttpRequest, ctx: ExecutionContext): Promise<ExecutionResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  // One controller for both ends, the stop and the timeout: AbortSignal.any and .timeout cost a
  // signal each, weakly tracked, per request, which showed in the profile of a busy node.
  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort(new DOMException(`timed out after ${ctx.timeoutMs} ms`, 'TimeoutError'));
  }, ctx.timeoutMs);
  const onStop = (): void => abort.abort(ctx.stop.reason);
  if (ctx.stop.aborted) onStop();
  else ctx.stop.addEventListener('abort', onStop, { once: true });
  const signal = abort.signal;
  const exchange: HttpExchange = {
    method: req.method,
    url: req.shownUrl,
    requestHeaders: { ...req.shownHeaders },
    status: null,
    statusText: null,
    responseHeaders: {},
    ttfbMs: null,
    totalMs: 0,
    bodyHead: '',
    bodyTruncated: false,
    error: null,
  };
  ctx.log.system(`${req.method} ${req.shownUrl}`);
  try {
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body;
    const res = await request(req.url, {
      method: req.method,
      headers: requestHeaders(req, body !== undefined),
      body,
      signal,
      dispatcher: agent,
      // The redirect interceptor reads this from the request: past MAX_REDIRECTS, an error
      // rather than the last redirect's own response, as fetch did.
      ...({ throwOnMaxRedirect: true } as object),
    });
    const status = res.statusCode;
    exchange.ttfbMs = elapsed();
    exchange.status = status;
    exchange.statusText = res.statusText;
    exchange.responseHeaders = responseHeaders(res.headers);
    ctx.log.system(`HTTP ${status} ${res.statusText} (${exchange.ttfbMs} ms)`);
    const { head, truncated } = await readHead(res.body, HTTP_BODY_HEAD_BYTES);
    exchange.totalMs = elapsed();
    exchange.bodyHead = head.toString('utf8');
    exchange.bodyTruncated = truncated;
    if (head.length > 0) ctx.log.write('stdout', head);
    if (truncated) ctx.log.system(`response body truncated to its first ${HTTP_BODY_HEAD_BYTES} bytes`);
    if (status >= 400) {
      const error = `HTTP status ${status}`;
      return result({ outcome: 'failed', httpStatus: status, error, exchange: { ...exchange, error } });
    }
    return result({ outcome: 'succeeded', httpStatus: status, exchange });
  } catch (err) {
    exchange.totalMs = elapsed();
    if (ctx.stop.aborted) {
      const error = stopError(ctx.stop.reason);
      return result({ outcome: stopOutcome(ctx.stop.reason), error, exchange: { ...exchange, error } });
    }
    if (timedOut) {
      const error = `timed out after ${ctx.timeoutMs} ms`;
      return result({ outcome: 'timed_out', error, exchange: { ...exchange, error } });
    }
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    const what =
      (err as Error).message === 'max redirects' ? `more than ${MAX_REDIRECTS} redirects` : (err as Error).message;
    // Which URL failed, as it may be shown; the client's own texts can quote the URL as sent.
    const why = `${what}${cause ? ` (${cause})` : ''}`.split(req.url).join(req.shownUrl);
    const message = `request to ${req.shownUrl} failed: ${why}`;
    // The runner writes the error to the log with every failed attempt's: not here too.
    return result({ outcome: 'failed', error: message, exchange: { ...exchange, error: message } });
  } finally {
    clearTimeout(timer);
    ctx.stop.removeEventListener('abort', onStop);
  }
}
