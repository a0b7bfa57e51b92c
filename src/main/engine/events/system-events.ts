import type { Pool } from 'mysql2/promise';
import type { SystemEvent } from '../../../shared/types';
import type { Logger } from '../context';
import { amendEventData, appendEvent, type NewEvent } from '../store/events';
import { inTransaction } from '../store/db';
import type { EventBus } from './event-bus';

type Recordable = Omit<NewEvent, 'nodeId'>;

/** Writes an event (MySQL `system_events`) and announces it (`event.appended`); throws if MySQL refuses. */
async function appendAndAnnounce(
  pool: Pool,
  bus: EventBus,
  nodeId: string,
  event: Recordable,
  at: Date,
): Promise<SystemEvent> {
  const appended = await appendEvent(pool, { ...event, nodeId }, at);
  bus.emit('event.appended', appended);
  return appended;
}

/**
 * Records a system event (MySQL `system_events`) and announces it (`event.appended`). A failed
 * write is logged and dropped: an event describes what happened, and must never undo or fail it.
 */
export function systemEventRecorder(
  pool: Pool,
  bus: EventBus,
  nodeId: string,
  log: Pick<Logger, 'warn'>,
): (event: Recordable) => Promise<void> {
  return async (event) => {
    try {
      await appendAndAnnounce(pool, bus, nodeId, event, new Date());
    } catch (err) {
      log.warn(`event not recorded (${(err as Error).message}): ${event.message}`);
    }
  };
}

export type OutageService = 'redis' | 'mysql';
const SERVICE_NAMES: Record<OutageService, string> = { redis: 'Redis', mysql: 'MySQL' };

/** An outage seen by this node: when it began, and its `<service>.down` event once written. */
interface OpenOutage {
  since: Date;
  error: string | null;
  downEventId: string | null;
}

/** "4.2 s", "3 min 5 s": an outage's length as the timeline's messages say it. */
export function outageLength(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const min = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s === 0 ? `${min} min` : `${min} min ${s} s`;
}

/**
 * Turns the health monitor's status changes into outage events, paired in the engine: a
 * `<service>.down` event when the service is lost (level error, its error and start), and on its
 * return a `<service>.up` event carrying `downEventId`, `downAt` and `durationMs`, while the down
 * event's data gains `endedAt`, `durationMs` and `upEventId`. A timeline re-read from MySQL thus
 * shows one entry with both ends; a down event without `endedAt` is an outage still going on.
 *
 * A MySQL outage cannot be written while it lasts: its down event is written when MySQL returns,
 * at the time it began, just before its up event (a Redis down event that MySQL refused is written
 * the same way). Only a service that was up once has outages: the first connect is not one.
 */
export class OutageRecorder {
  private readonly open = new Map<OutageService, OpenOutage>();
  private readonly everUp = new Set<OutageService>();
  /** Writes in the order the changes came, so an up never overtakes its down. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly pool: Pool,
    private readonly bus: EventBus,
    private readonly nodeId: string,
    private readonly log: Pick<Logger, 'warn'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Called on every status change of a service (`recovering` counts as not yet back). */
  changed(service: OutageService, status: 'up' | 'down' | 'recovering', error: string | null = null): Promise<void> {
    const at = this.now();
    this.chain = this.chain.then(() => this.apply(service, status, error, at));
    return this.chain;
  }

  private async apply(service: OutageService, status: string, error: string | null, at: Date): Promise<void> {
    if (status === 'up') {
      this.everUp.add(service);
      const outage = this.open.get(service);
      if (outage) await this.close(service, outage, at);
      return;
    }
    if (status !== 'down' || !this.everUp.has(service) || this.open.has(service)) return;
    const outage: OpenOutage = { since: at, error, downEventId: null };
    this.open.set(service, outage);
    if (service === 'redis') outage.downEventId = await this.writeDown(service, outage);
  }

  private async writeDown(service: OutageService, outage: OpenOutage): Promise<string | null> {
    const name = SERVICE_NAMES[service];
    try {
      const down = await appendAndAnnounce(
        this.pool,
        this.bus,
        this.nodeId,
        {
          level: 'error',
          kind: `${service}.down`,
          message: `${name} is down${outage.error ? `: ${outage.error}` : ''}`,
          data: { service, error: outage.error },
        },
        outage.since,
      );
      return down.id;
    } catch {
      // MySQL is down too: written when this outage ends.
      return null;
    }
  }

  private async close(service: OutageService, outage: OpenOutage, at: Date): Promise<void> {
    const durationMs = Math.max(0, at.getTime() - outage.since.getTime());
    const name = SERVICE_NAMES[service];
    try {
      outage.downEventId ??= await this.writeDown(service, outage);
      // The up event and the down event's end are written in one transaction: a client that
      // reads the up event (or re-reads on its announcement) always sees both ends.
      const downEventId = outage.downEventId;
      const up = await inTransaction(this.pool, async (conn) => {
        const written = await appendEvent(
          conn,
          {
            level: 'info',
            kind: `${service}.up`,
            message: `${name} is back after ${outageLength(durationMs)}`,
            nodeId: this.nodeId,
            data: { service, downEventId, downAt: outage.since.toISOString(), durationMs },
          },
          at,
        );
        if (downEventId !== null)
          await amendEventData(conn, downEventId, { endedAt: at.toISOString(), durationMs, upEventId: written.id });
        return written;
      });
      this.open.delete(service);
      this.bus.emit('event.appended', up);
    } catch (err) {
      // MySQL refused (it is failing again): the outage stays open and closes at the next up.
      this.log.warn(`${service} outage not recorded: ${(err as Error).message}`);
    }
  }
}
