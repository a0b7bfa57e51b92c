import type { HttpRequest } from '../../secrets/task-http';
import type { ExecutionContext, ExecutionResult } from './types';
import { stopError, stopOutcome } from './types';

/** The head of a response body that goes to the log; the rest is not kept. */
const BODY_HEAD_BYTES = 4_096;

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

/**
 * Sends one HTTP request. A status of 400 or more is a failure. What it writes shows the URL as
 * `shownUrl` (secrets as ***), never as sent; the runner also redacts every secret of the task.
 */
export async function runHttp(req: HttpRequest, ctx: ExecutionContext): Promise<ExecutionResult> {
  const started = Date.now();
  const timeout = AbortSignal.timeout(ctx.timeoutMs);
  const signal = AbortSignal.any([ctx.stop, timeout]);
  ctx.log.system(`${req.method} ${req.shownUrl}`);
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body,
      signal,
      redirect: 'follow',
    });
    ctx.log.system(`HTTP ${res.status} ${res.statusText} (${Date.now() - started} ms)`);
    const { head, truncated } = await readHead(res.body, BODY_HEAD_BYTES);
    if (head.length > 0) ctx.log.write('stdout', head);
    if (truncated) ctx.log.system(`response body truncated to its first ${BODY_HEAD_BYTES} bytes`);
    if (res.status >= 400) {
      return result({ outcome: 'failed', httpStatus: res.status, error: `HTTP status ${res.status}` });
    }
    return result({ outcome: 'succeeded', httpStatus: res.status });
  } catch (err) {
    if (ctx.stop.aborted) {
      return result({ outcome: stopOutcome(ctx.stop.reason), error: stopError(ctx.stop.reason) });
    }
    if (timeout.aborted) return result({ outcome: 'timed_out', error: `timed out after ${ctx.timeoutMs} ms` });
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    // Which URL failed, as it may be shown; fetch's own texts can quote the URL as sent.
    const why = `${(err as Error).message}${cause ? ` (${cause})` : ''}`.split(req.url).join(req.shownUrl);
    const message = `request to ${req.shownUrl} failed: ${why}`;
    // The runner writes the error to the log with every failed attempt's: not here too.
    return result({ outcome: 'failed', error: message });
  }
}
