import type { StateCreator } from 'zustand';
import type { BulkAction, JobFilter } from '../../../../shared/schemas';
import type { BulkOperation, BulkPreview } from '../../../../shared/types';
import { request } from '../../app/request';
import type { Store } from '../../app/store';

/**
 * The bulk dialog of the Jobs view: a dry run (jobs.bulkPreview) that says how many jobs the action
 * touches, then the operation on the server (jobs.bulkStart), followed by its bulk.progress events
 * (app/events.ts) until it finishes or is stopped (jobs.bulkStop). `bulkOp` outlives the dialog,
 * so an operation started here, or already running when the view opens (jobs.bulkList), shows
 * as a banner above the list.
 */
export interface BulkSlice {
  /** What the open dialog is about; null when it is closed. */
  bulkRequest: { action: BulkAction; filter: JobFilter } | null;
  bulkPreview: BulkPreview | null;
  /** True from the confirm click until jobs.bulkStart answers: the button is disabled meanwhile. */
  bulkStarting: boolean;
  bulkOp: BulkOperation | null;
  bulkError: string | null;
  openBulk: (action: BulkAction, filter: JobFilter) => Promise<void>;
  closeBulk: () => void;
  startBulk: () => Promise<void>;
  stopBulk: () => Promise<void>;
  /** Shows an operation already running on the node (another window may have started it). */
  loadBulkOps: () => Promise<void>;
}

export function isActiveOp(op: BulkOperation | null): boolean {
  return op !== null && (op.state === 'running' || op.state === 'stopping');
}

/** Jobs handled so far, whatever the outcome. */
export function handledOf(op: BulkOperation): number {
  return op.done + op.skipped + op.failed;
}

const STATE_RANK: Record<BulkOperation['state'], number> = {
  running: 0,
  stopping: 1,
  stopped: 2,
  finished: 2,
  failed: 2,
};

/**
 * Of two reports of the same operation, the later one. The answer to bulkStart can arrive after
 * the first progress events, so the one further on (stopping after running, ended after both,
 * then the one that has handled more) wins.
 */
export function laterOp(a: BulkOperation | null, b: BulkOperation): BulkOperation {
  if (a === null || a.id !== b.id) return b;
  if (STATE_RANK[a.state] !== STATE_RANK[b.state]) return STATE_RANK[a.state] > STATE_RANK[b.state] ? a : b;
  return handledOf(b) >= handledOf(a) ? b : a;
}

/** Bumped when the dialog opens: a preview for a dialog since closed is dropped. */
let dialogGeneration = 0;

export const createBulkSlice: StateCreator<Store, [], [], BulkSlice> = (set, get) => ({
  bulkRequest: null,
  bulkPreview: null,
  bulkStarting: false,
  bulkOp: null,
  bulkError: null,
  openBulk: async (action, filter) => {
    const mine = ++dialogGeneration;
    const current = get().bulkOp;
    // A finished operation's summary gives way to the new dialog; a running one stays shown.
    set({
      bulkRequest: { action, filter },
      bulkPreview: null,
      bulkError: null,
      ...(isActiveOp(current) ? {} : { bulkOp: null }),
    });
    await request(set, (api) => api['jobs.bulkPreview']({ action, filter }), {
      errorKey: 'bulkError',
      isCurrent: () => mine === dialogGeneration && get().bulkRequest !== null,
      onData: (preview) => ({ bulkPreview: preview }),
    });
  },
  closeBulk: () => {
    dialogGeneration += 1;
    const op = get().bulkOp;
    set({ bulkRequest: null, bulkPreview: null, bulkError: null, bulkOp: isActiveOp(op) ? op : null });
  },
  startBulk: async () => {
    const { bulkRequest, bulkStarting, bulkOp } = get();
    // The second click of a double click, or a click while one runs: nothing more to start.
    if (bulkRequest === null || bulkStarting || isActiveOp(bulkOp)) return;
    set({ bulkStarting: true });
    await request(set, (api) => api['jobs.bulkStart'](bulkRequest), {
      errorKey: 'bulkError',
      onData: (op) => ({ bulkOp: laterOp(get().bulkOp, op) }),
    });
    set({ bulkStarting: false });
  },
  stopBulk: async () => {
    const op = get().bulkOp;
    if (op === null || op.state !== 'running') return;
    await request(set, (api) => api['jobs.bulkStop']({ id: op.id }), {
      errorKey: 'bulkError',
      onData: (stopped) => ({ bulkOp: laterOp(get().bulkOp, stopped) }),
    });
  },
  loadBulkOps: async () => {
    await request(set, (api) => api['jobs.bulkList']({}), {
      errorKey: 'bulkError',
      onData: ({ items }) => {
        const shown = get().bulkOp;
        // The one shown, as it is now (it may have ended while the events were cut), else one running.
        const same = shown === null ? undefined : items.find((op) => op.id === shown.id);
        const next = same ?? items.find(isActiveOp);
        return next === undefined ? {} : { bulkOp: laterOp(shown, next) };
      },
    });
  },
});

/**
 * A bulk.progress event: the operation shown moves on; with none shown, this one appears (another
 * window started it). Not while the dialog waits for a confirm: it would then show someone else's
 * operation as its own. From the confirm click on, an event may come before the start's answer.
 */
export function bulkProgressUpdate(
  s: Pick<BulkSlice, 'bulkOp' | 'bulkRequest' | 'bulkStarting'>,
  op: BulkOperation,
): { bulkOp: BulkOperation } | null {
  const shown = s.bulkOp;
  if (shown !== null && shown.id !== op.id && isActiveOp(shown)) return null;
  if (shown === null && s.bulkRequest !== null && !s.bulkStarting) return null;
  return { bulkOp: laterOp(shown, op) };
}
