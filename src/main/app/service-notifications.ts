import type { EventMessage } from '../../shared/contract';
import type { Health } from '../../shared/types';
import type { ApiHandler } from '../api/types';

/**
 * Redis or MySQL going down and coming back, told to the user, without a flood when the link
 * flaps: a change is told only once it has held for SETTLE_MS, and after a "down" another "down"
 * of the same service waits REPEAT_MS. "Back" is told only for a "down" that was told.
 * No electron import: the shell passes `show`, which makes the native notification.
 */

export type ServiceName = 'redis' | 'mysql';
export const SERVICE_LABELS: Record<ServiceName, string> = { redis: 'Redis', mysql: 'MySQL' };
export const SETTLE_MS = 10_000;
export const REPEAT_MS = 5 * 60_000;

export interface ServiceNotice {
  service: ServiceName;
  state: 'down' | 'up';
  title: string;
  body: string;
}

export interface ServiceNotifierOptions {
  api: Pick<ApiHandler, 'subscribe'>;
  show(notice: ServiceNotice): void;
  enabled?(): boolean;
  now?(): number;
  timers?: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };
}

export function notifyServiceChanges(options: ServiceNotifierOptions): () => void {
  const timers = options.timers ?? { setTimeout, clearTimeout };
  const now = options.now ?? Date.now;
  const services = (['redis', 'mysql'] as const).map((service) => ({
    service,
    /** What the last health said (recovering counts as neither: it keeps the previous state). */
    seen: 'up' as 'up' | 'down',
    /** What the user was last told. */
    told: 'up' as 'up' | 'down',
    lastDownToldAt: -Infinity,
    timer: null as ReturnType<typeof setTimeout> | null,
  }));

  function tell(s: (typeof services)[number], state: 'up' | 'down', detail: string | null): void {
    // Turned off: nothing counts as told, so no "back" follows for a "down" the user never saw.
    if (options.enabled?.() === false) return;
    if (state === 'down' && now() - s.lastDownToldAt < REPEAT_MS) return;
    s.told = state;
    if (state === 'down') s.lastDownToldAt = now();
    const label = SERVICE_LABELS[s.service];
    options.show(
      state === 'down'
        ? {
            service: s.service,
            state,
            title: `${label} is unreachable`,
            body: `Jobs wait until it is back${detail === null ? '' : `: ${detail}`}`,
          }
        : { service: s.service, state, title: `${label} is back`, body: 'Tickr is scheduling and running jobs again' },
    );
  }

  const unsubscribe = options.api.subscribe((message: EventMessage) => {
    if (message.event !== 'health.changed') return;
    const health = (message as EventMessage<'health.changed'>).data as Health;
    for (const s of services) {
      const reported = health[s.service];
      if (reported.status === 'recovering' || reported.status === s.seen) continue;
      s.seen = reported.status;
      if (s.timer !== null) timers.clearTimeout(s.timer);
      s.timer = null;
      // Back to what the user was told before the settle time ran out: a flap, nothing to say.
      if (s.seen === s.told) continue;
      const state = s.seen;
      const detail = reported.error;
      s.timer = timers.setTimeout(() => {
        s.timer = null;
        if (state === 'up' && s.told === 'up') return;
        tell(s, state, detail);
      }, SETTLE_MS);
    }
  });

  return () => {
    unsubscribe();
    for (const s of services) if (s.timer !== null) timers.clearTimeout(s.timer);
  };
}
