import type { StateCreator } from 'zustand';
import type { QueueSnapshot } from '../../../../shared/types';
import { request } from '../../app/request';
import type { Store } from '../../app/store';
import { coalesced } from '../../../../shared/coalesced';
import type { Durations } from './estimate';

/**
 * The queue lanes: one queues.snapshot, re-read whenever an engine event says the queues moved
 * (queue-updates.ts), never on a timer; and the duration statistics of the tasks they name, read
 * once per task and again after one of its jobs finished.
 */
export interface QueuesSlice {
  queues: QueueSnapshot | null;
  queuesError: string | null;
  durations: Durations;
  durationsError: string | null;
  /** Re-reads the snapshot (and missing durations); calls during a read merge into one more read. */
  refreshQueues: () => Promise<void>;
}

/** Every task the snapshot names, once. */
export function taskIdsShown(snapshot: QueueSnapshot): string[] {
  const ids = new Set<string>();
  const add = (entries: readonly { taskId: string | null }[]): void => {
    for (const e of entries) if (e.taskId !== null) ids.add(e.taskId);
  };
  add(snapshot.waiting.next);
  add(snapshot.ready.entries);
  for (const node of snapshot.nodes) {
    add(node.running.entries);
    add(node.pinned.waiting.next);
    add(node.pinned.ready.entries);
  }
  return [...ids];
}

export const createQueuesSlice: StateCreator<Store, [], [], QueuesSlice> = (set, get) => {
  const readOnce = async (): Promise<void> => {
    const read = await request(set, (api) => api['queues.snapshot']({}), {
      errorKey: 'queuesError',
      onData: (queues) => ({ queues }),
    });
    const snapshot = get().queues;
    if (!read || snapshot === null) return;
    const missing = taskIdsShown(snapshot).filter((id) => get().durations[id] === undefined);
    if (missing.length === 0) return;
    await request(set, (api) => api['tasks.durationStats']({ taskIds: missing }), {
      errorKey: 'durationsError',
      onData: ({ items }) => ({
        durations: { ...get().durations, ...Object.fromEntries(items.map((d) => [d.taskId, d])) },
      }),
    });
  };
  return {
    queues: null,
    queuesError: null,
    durations: {},
    durationsError: null,
    refreshQueues: coalesced(readOnce),
  };
};
