import { isMethodName, methods, type MethodName, type Result } from '../../shared/contract';
import { isTickrError } from '../../shared/errors';
import { parseInput } from '../../shared/validate';
import type { Engine } from '../engine/engine';
import { createHandlers, type Handlers } from './handlers';
import type { ApiHandler } from './types';

export type { ApiHandler } from './types';

/**
 * Wraps the handlers for the transports: looks the method up, validates the input with the
 * contract's zod schema, and turns every outcome into a Result envelope, so an error keeps its
 * code across IPC and HTTP. Unexpected errors are logged and reported without internals.
 */
export function createApiFromHandlers(
  handlers: Handlers,
  subscribe: ApiHandler['subscribe'],
  logError: (msg: string) => void = console.error,
): ApiHandler {
  return {
    async call(method: string, input: unknown): Promise<Result<unknown>> {
      if (!isMethodName(method))
        return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `unknown method '${method}'` } };
      try {
        const parsed = parseInput(methods[method].input, input);
        const handler = handlers[method] as (i: unknown) => Promise<unknown>;
        return { ok: true, data: await handler(parsed) };
      } catch (err) {
        if (isTickrError(err)) return { ok: false, error: err.toBody() };
        logError(`${method as MethodName}: ${(err as Error).stack ?? String(err)}`);
        return { ok: false, error: { code: 'INTERNAL', message: `internal error in ${method}` } };
      }
    },
    subscribe,
  };
}

export function createApi(engine: Engine): ApiHandler {
  return createApiFromHandlers(createHandlers(engine), (listener) => engine.bus.subscribe(listener));
}
