import { isMethodName, methods, type MethodName, type Result } from '../../shared/contract';
import { isTickrError, TickrError } from '../../shared/errors';
import { parseInput } from '../../shared/validate';
import type { Engine } from '../engine/engine';
import { createHandlers, type Handlers } from './handlers';
import type { SettingsService } from './settings';
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
  /** A refusal before the handler runs (the node not connected to MySQL yet), or null to go on. */
  gate: (method: MethodName) => TickrError | null = () => null,
): ApiHandler {
  return {
    async call(method: string, input: unknown): Promise<Result<unknown>> {
      if (!isMethodName(method))
        return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `unknown method '${method}'` } };
      try {
        const parsed = parseInput(methods[method].input, input);
        const refusal = gate(method);
        if (refusal) throw refusal;
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

/** What a node answers before it has reached MySQL once: the health, and what needs no store. */
const WITHOUT_STORE: ReadonlySet<MethodName> = new Set<MethodName>([
  'health.get',
  'health.history',
  'schedule.preview',
  // The connection screen works before MySQL ever answered: that is what it is for.
  'settings.get',
  'settings.update',
  'settings.testConnection',
]);

export function createApi(engine: Engine, settings?: SettingsService): ApiHandler {
  const gate = (method: MethodName): TickrError | null => {
    if (engine.storeReady || WITHOUT_STORE.has(method)) return null;
    const why = engine.storeError === null ? '' : ` (${engine.storeError})`;
    return new TickrError(
      'STORE_UNAVAILABLE',
      `MySQL has not answered yet${why}: nothing was changed; the node connects on its own once it does`,
    );
  };
  return createApiFromHandlers(
    createHandlers(engine, settings),
    (listener) => engine.bus.subscribe(listener),
    console.error,
    gate,
  );
}
