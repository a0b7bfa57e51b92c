import type { Pool } from 'mysql2/promise';
import type { Logger } from '../context';
import { appendEvent, type NewEvent } from '../store/events';
import type { EventBus } from './event-bus';

/**
 * Records a system event (MySQL `system_events`) and announces it (`event.appended`). A failed
 * write is logged and dropped: an event describes what happened, and must never undo or fail it.
 */
export function systemEventRecorder(
  pool: Pool,
  bus: EventBus,
  nodeId: string,
  log: Pick<Logger, 'warn'>,
): (event: Omit<NewEvent, 'nodeId'>) => Promise<void> {
  return async (event) => {
    try {
      const appended = await appendEvent(pool, { ...event, nodeId }, new Date());
      bus.emit('event.appended', appended);
    } catch (err) {
      log.warn(`event not recorded (${(err as Error).message}): ${event.message}`);
    }
  };
}
