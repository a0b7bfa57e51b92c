import { HTTP_BODY_HEAD_BYTES, type HttpExchange } from '../../../../shared/types';
import type { HttpRequest } from '../../secrets/task-http';
import type { ExecutionContext, ExecutionResult } from './types';
import { stopError, stopOutcome } from './types';

/** Response headers kept for the inspector: enough for any real response, bounded for a hostile one. */
const MAX_RESPONSE_HEADERS = 100;
const MAX_HEADER_VALUE_CHARS = 2_000;

function result(partial: Partial<ExecutionResult> & Pick<ExecutionResult, 'outcome'>): ExecutionResult {
  return { exitCode: null, signal: null, httpStatus: null, error: null, retryable: true, ...partial };
}

async function readHead(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<{ head: Buffer; truncated: boolean }> {
  if (!body) return { head: Buffer.alloc(0), truncated: false };
  const reader = body.getReader();
  const parts: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(Buffer.from(value));
    size += value.byteLength;
    if (size > limit) {
      truncated = true;
      await reader.cancel();
      break;
    }
  }
  return { head: Buffer.concat(parts).subarray(0, limit), truncated };
}

function responseHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  let n = 0;
  for (const [name, value] of headers) {
    if (n++ >= MAX_RESPONSE_HEADERS) break;
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
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body,
      signal,
      redirect: 'follow',
    });
    exchange.ttfbMs = elapsed();
    exchange.status = res.status;
    exchange.statusText = res.statusText;
    exchange.responseHeaders = responseHeaders(res.headers);
    ctx.log.system(`HTTP ${res.status} ${res.statusText} (${exchange.ttfbMs} ms)`);
    const { head, truncated } = await readHead(res.body, HTTP_BODY_HEAD_BYTES);
    exchange.totalMs = elapsed();
    exchange.bodyHead = head.toString('utf8');
    exchange.bodyTruncated = truncated;
    if (head.length > 0) ctx.log.write('stdout', head);
    if (truncated) ctx.log.system(`response body truncated to its first ${HTTP_BODY_HEAD_BYTES} bytes`);
    if (res.status >= 400) {
      const error = `HTTP status ${res.status}`;
      return result({ outcome: 'failed', httpStatus: res.status, error, exchange: { ...exchange, error } });
    }
    return result({ outcome: 'succeeded', httpStatus: res.status, exchange });
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
    // Which URL failed, as it may be shown; fetch's own texts can quote the URL as sent.
    const why = `${(err as Error).message}${cause ? ` (${cause})` : ''}`.split(req.url).join(req.shownUrl);
    const message = `request to ${req.shownUrl} failed: ${why}`;
    // The runner writes the error to the log with every failed attempt's: not here too.
    return result({ outcome: 'failed', error: message, exchange: { ...exchange, error: message } });
  } finally {
    clearTimeout(timer);
    ctx.stop.removeEventListener('abort', onStop);
  }
}
