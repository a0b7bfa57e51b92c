import { TickrError } from '../../../shared/errors';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'POOL_CLOSED',
  'ER_ACCESS_DENIED_ERROR',
]);

/** True for errors that mean "MySQL is unreachable", as opposed to a bad query. */
export function isStoreUnavailable(err: unknown): boolean {
  const e = err as { code?: string; fatal?: boolean; message?: string };
  if (e?.code && CONNECTION_CODES.has(e.code)) return true;
  if (e?.fatal) return true;
  return /connect|closed state|Pool is closed/i.test(e?.message ?? '');
}

/** Maps a MySQL failure to the contract's error, so callers see STORE_UNAVAILABLE, not a driver error. */
export function asStoreError(err: unknown): unknown {
  if (err instanceof TickrError) return err;
  if (isStoreUnavailable(err)) {
    return new TickrError('STORE_UNAVAILABLE', 'MySQL is unavailable: nothing was changed; try again when it is back');
  }
  return err;
}

/** Runs a store call so that a MySQL outage reaches the caller as STORE_UNAVAILABLE. */
export async function guardStore<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw asStoreError(err);
  }
}
