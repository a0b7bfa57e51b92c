import { METHOD_NAMES, type MethodName, type Result, type TickrApi } from '../../shared/contract';

/**
 * The client side of the contract, used by both renderer transports (window.tickr and HTTP).
 * Pure: no DOM and no Electron. (It would sit in src/shared if the preload were to share it;
 * see the "[CODE] message" format below, which the preload writes.)
 */

/** A failed API call, with the contract's error code (src/shared/errors.ts) in `code`. */
export class ApiError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

/**
 * Client-side code, not in the contract: the engine could not be reached, or answered with
 * something that is not a result envelope.
 */
export const UNREACHABLE = 'UNREACHABLE';

/** True when `value` has the shape of a Result envelope; an HTTP body is untrusted until then. */
export function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; error?: unknown };
  if (v.ok === true) return 'data' in v;
  if (v.ok !== false || typeof v.error !== 'object' || v.error === null) return false;
  const e = v.error as { code?: unknown; message?: unknown };
  return typeof e.code === 'string' && typeof e.message === 'string';
}

/** The data of an ok envelope, or an ApiError carrying the envelope's code. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.data;
  throw new ApiError(result.error.code, result.error.message);
}

/**
 * Builds a TickrApi whose every method forwards to `call`, generically from METHOD_NAMES, so a
 * new contract method needs no client change.
 */
export function buildApi(call: (method: MethodName, input: unknown) => Promise<unknown>): TickrApi {
  const api: Partial<Record<MethodName, (input: unknown) => Promise<unknown>>> = {};
  for (const method of METHOD_NAMES) api[method] = (input) => call(method, input ?? {});
  // TypeScript cannot follow a mapped type through a loop; each entry does forward to the
  // method of its own name, whose answer the engine produced for that method's output type.
  return api as unknown as TickrApi;
}

/*
 * contextBridge copies only the message of an Error into the page (electron/electron#25596):
 * `code` would be lost. The preload (src/preload/index.ts) therefore also writes the code into
 * the message as "[CODE] message", and the page's client turns that back into an ApiError.
 */
const BRIDGED_MESSAGE = /^\[([A-Z][A-Z0-9_]*)\] ([\s\S]*)$/;

/** Recovers code and message from an error that crossed the context bridge. */
export function fromBridgeError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const message = err instanceof Error ? err.message : String(err);
  // Should a future Electron copy custom properties, take the code as it is.
  const code = (err as { code?: unknown } | null)?.code;
  // Defensive: older Electron versions prefixed a bridged message with "Error: ".
  const match = BRIDGED_MESSAGE.exec(message.replace(/^Error: /, ''));
  if (match !== null) return new ApiError(match[1] as string, match[2] as string);
  return new ApiError(typeof code === 'string' ? code : UNREACHABLE, message);
}
