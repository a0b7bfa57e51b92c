import type { StateCreator } from 'zustand';
import type { LogEntry, LogPage } from '../../../../../shared/types';
import { request } from '../../../app/request';
import type { Store } from '../../../app/store';
import { emptyLineModel, type LineModel } from './line-model';
import { addEntries } from './log-updates';

/** jobs.logs' largest page: a 20,000-line log is a handful of pages. */
export const LOG_PAGE_LIMIT = 5000;

/**
 * The log of the job the detail page shows: paged in whole with jobs.logs, then kept current by
 * job.log events (app/events.ts) for as long as that job is open.
 */
export interface JobLogSlice {
  /** The job whose log is held, or null when no job page is open. */
  logJobId: string | null;
  /** The entries in seq order, each once. */
  log: LogEntry[];
  /** The same log split into lines, as it grew (line-model.ts): what the viewer renders. */
  logLines: LineModel;
  logError: string | null;
  /** Pages of the stored log are still being read; live entries wait in logPending meanwhile. */
  logLoading: boolean;
  logPending: LogEntry[];
  openLog: (jobId: string) => Promise<void>;
  /** Reads what was stored after the last entry held: after a reconnect, or once the job ended. */
  resumeLog: () => Promise<void>;
  closeLog: () => void;
}

/** About this much text is split into lines per task (a few milliseconds of work). */
const SLICE_CHARS = 128 * 1024;

/** The entries in runs of about SLICE_CHARS of text; an entry is never cut (the engine caps one at 64 KiB). */
export function textSlices(entries: readonly LogEntry[], sliceChars = SLICE_CHARS): LogEntry[][] {
  const slices: LogEntry[][] = [];
  let current: LogEntry[] = [];
  let chars = 0;
  for (const entry of entries) {
    current.push(entry);
    chars += entry.text.length;
    if (chars >= sliceChars) {
      slices.push(current);
      current = [];
      chars = 0;
    }
  }
  if (current.length > 0) slices.push(current);
  return slices;
}

/** Lets the browser run what waits (input, paint) before the next slice. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Counts page loops: a newer loop (another job, or a resume) makes an older one stop at its next
 * page, so two loops never append the same pages.
 */
let loadGeneration = 0;

export const createJobLogSlice: StateCreator<Store, [], [], JobLogSlice> = (set, get) => {
  /** Reads pages after `afterSeq` until one comes back short, then merges what arrived live. */
  async function readPages(jobId: string, afterSeq: number | undefined): Promise<void> {
    const generation = ++loadGeneration;
    const isCurrent = () => generation === loadGeneration && get().logJobId === jobId;
    let after = afterSeq;
    for (;;) {
      const got: { page?: LogPage } = {};
      const ok = await request(
        set,
        (api) =>
          api['jobs.logs']({ id: jobId, limit: LOG_PAGE_LIMIT, ...(after === undefined ? {} : { afterSeq: after }) }),
        {
          errorKey: 'logError',
          onData: (page) => {
            got.page = page;
            return {};
          },
          isCurrent,
        },
      );
      if (!isCurrent()) return;
      if (!ok || got.page === undefined) break;
      // A page is split into lines a slice at a time, each in its own task, so a 1 MiB page
      // never holds the main thread for long; the rows in view render between slices.
      for (const slice of textSlices(got.page.items)) {
        set(addEntries(get(), slice));
        await nextTask();
        if (!isCurrent()) return;
      }
      after = got.page.nextSeq;
      if (got.page.items.length < LOG_PAGE_LIMIT) break;
    }
    // Even after a failure: what arrived live is shown rather than held back for good.
    set({ ...addEntries(get(), get().logPending), logPending: [], logLoading: false });
  }

  return {
    logJobId: null,
    log: [],
    logLines: emptyLineModel(),
    logError: null,
    logLoading: false,
    logPending: [],
    openLog: async (jobId) => {
      set({ logJobId: jobId, log: [], logLines: emptyLineModel(), logError: null, logPending: [], logLoading: true });
      await readPages(jobId, undefined);
    },
    resumeLog: async () => {
      const { logJobId, log } = get();
      if (logJobId === null) return;
      set({ logLoading: true });
      await readPages(logJobId, log.length > 0 ? (log[log.length - 1] as LogEntry).seq : undefined);
    },
    closeLog: () => {
      loadGeneration += 1;
      set({ logJobId: null, log: [], logLines: emptyLineModel(), logError: null, logPending: [], logLoading: false });
    },
  };
};
