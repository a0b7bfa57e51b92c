import type { ErrorCode } from '../../../shared/errors';
import { ApiError, type TickrClient } from '../api-client';
import { currentApi } from './api-source';
import type { Store } from './store';

/** The store fields that show why a call failed; each holds a message or null. */
export type ErrorKey = Extract<keyof Store, `${string}Error`>;

export interface RequestOptions<T> {
  /** Where this call's failure is shown; a later success clears it. */
  errorKey: ErrorKey;
  /** The store update for the answer; leave out when the answer arrives through events instead. */
  onData?: (data: T) => Partial<Store>;
  /** False once the answer is no longer wanted (the user moved on): it is then dropped, error or not. */
  isCurrent?: () => boolean;
}

/** The slice's own `set`, passed in so that this module and the store need not import each other. */
type SetStore = (partial: Partial<Store>) => void;

const REFUSED_TOKEN: ErrorCode = 'UNAUTHORIZED';

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Written out rather than `{ [key]: message }`, which TypeScript would not check against Store. */
function errorUpdate(key: ErrorKey, message: string | null): Partial<Store> {
  const update: Partial<Store> = {};
  update[key] = message;
  return update;
}

/**
 * The load / error / auth cycle every store action shares: calls the API, then applies the answer
 * or the failure's message. A refused token also sets `auth` to `invalid`, even for a stale call,
 * so the page shows how to get a token instead of panels that can only fail.
 * Resolves to whether the call succeeded: a failed call is shown, not thrown.
 */
export async function request<T>(
  set: SetStore,
  call: (api: TickrClient) => Promise<T>,
  { errorKey, onData, isCurrent = () => true }: RequestOptions<T>,
): Promise<boolean> {
  let data: T;
  try {
    data = await call(currentApi());
  } catch (err) {
    if (err instanceof ApiError && err.code === REFUSED_TOKEN) set({ auth: 'invalid' });
    if (isCurrent()) set(errorUpdate(errorKey, messageOf(err)));
    return false;
  }
  if (isCurrent()) set({ ...onData?.(data), ...errorUpdate(errorKey, null) });
  return true;
}
