import { observeElementRect, useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useTickrStore } from '../../../app/store';
import { nodeLabel } from '../format';
import { registerJobScroller } from '../list-scroll';
import { JobRow, jobRowId, ROW_HEIGHT } from './JobRow';

/** Rows drawn beyond the screen on each side, so a quick flick does not show blank rows. */
const OVERSCAN = 6;
/** The next page is read once the rows drawn come this close to the last loaded one. */
const LOAD_AHEAD_ROWS = 40;
/** The sticky header row's height: the rows start below it (the virtualizer's paddingStart). */
const HEAD_HEIGHT = ROW_HEIGHT;

/**
 * The height assumed while the scroller reports none (not laid out yet, or a DOM without layout
 * such as a test's): the first rows are drawn rather than none.
 */
const UNMEASURED_HEIGHT = 20 * ROW_HEIGHT;

function observeScrollerRect(
  instance: Virtualizer<HTMLDivElement, Element>,
  cb: (rect: { width: number; height: number }) => void,
): void | (() => void) {
  return observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : { ...rect, height: UNMEASURED_HEIGHT }));
}

const COLUMNS = [
  ['Job', '6rem'],
  ['Task', 'auto'],
  ['Status', '7.5rem'],
  ['Attempt', '5rem'],
  ['Due', '10rem'],
  ['Started', '10rem'],
  ['Duration', '8.5rem'],
  ['Node', '8rem'],
] as const;

/**
 * The loaded history, virtualized (@tanstack/react-virtual): whatever the number of loaded rows,
 * only the ones on screen (and OVERSCAN around them) are in the DOM, between two spacer rows that
 * keep the scroll height. Columns have fixed widths so that rows scrolling in do not move them.
 * The scroller is one tab stop; j / k (keyboard.ts) move the highlight while it has focus, and
 * the next page is read as the end comes into view.
 */
export function JobList() {
  const jobs = useTickrStore((s) => s.jobs);
  const selectedJobId = useTickrStore((s) => s.selectedJobId);
  const tasks = useTickrStore((s) => s.tasks);
  const nodes = useTickrStore((s) => s.jobNodes);
  const taskP95 = useTickrStore((s) => s.taskP95);
  const hasMore = useTickrStore((s) => s.jobsNextCursor !== null);
  const navigate = useTickrStore((s) => s.navigate);
  const loadMoreJobs = useTickrStore((s) => s.loadMoreJobs);
  const scrollRef = useRef<HTMLDivElement>(null);

  // The virtualizer re-renders this component on every scroll by design; nothing here is memoized by a compiler.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: jobs.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    paddingStart: HEAD_HEIGHT,
    scrollPaddingStart: HEAD_HEIGHT,
    observeElementRect: observeScrollerRect,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => registerJobScroller((index) => virtualizer.scrollToIndex(index, { align: 'auto' })), [virtualizer]);
  // Back from a job's page: the row last opened is brought into view again, not the top of the list.
  useEffect(() => {
    const { jobs: rows, selectedJobId: id } = useTickrStore.getState();
    const index = rows.findIndex((j) => j.id === id);
    if (index > 0) virtualizer.scrollToIndex(index, { align: 'center' });
  }, [virtualizer]);
  useEffect(() => {
    if (hasMore && lastIndex >= jobs.length - LOAD_AHEAD_ROWS) void loadMoreJobs();
  }, [hasMore, lastIndex, jobs.length, loadMoreJobs]);

  const taskNames = useMemo(() => new Map(tasks.map((t) => [t.id, t.name])), [tasks]);
  const nodeNames = useMemo(() => new Map(nodes.map((n) => [n.id, nodeLabel(n.id, nodes)])), [nodes]);
  const open = useCallback((id: string) => navigate({ view: 'jobs', id }), [navigate]);

  const top = (items[0]?.start ?? HEAD_HEIGHT) - HEAD_HEIGHT;
  const bottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? HEAD_HEIGHT);
  const selectedShown = selectedJobId !== null && items.some((item) => jobs[item.index]?.id === selectedJobId);

  return (
    <div
      ref={scrollRef}
      className="job-list"
      tabIndex={0}
      role="group"
      aria-label="Job history"
      aria-keyshortcuts="J K ArrowDown ArrowUp Enter"
      aria-activedescendant={selectedShown ? jobRowId(selectedJobId) : undefined}
      // The KEYBOARD_LIST mark (app/focus.ts) that keyboard.ts and the `/` key look for.
      data-keyboard-list="jobs"
    >
      <table className="jobs" aria-rowcount={jobs.length + 1}>
        <colgroup>
          {COLUMNS.map(([name, width]) => (
            <col key={name} style={width === 'auto' ? undefined : { width }} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {COLUMNS.map(([name]) => (
              <th key={name} scope="col">
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {top > 0 && <tr aria-hidden="true" className="job-spacer" style={{ height: top }} />}
          {items.map((item) => {
            const job = jobs[item.index];
            if (job === undefined) return null;
            return (
              <JobRow
                key={job.id}
                job={job}
                rowIndex={item.index + 2}
                taskName={taskNames.get(job.taskId) ?? `task ${job.taskId}`}
                nodeName={job.nodeId === null ? '—' : (nodeNames.get(job.nodeId) ?? job.nodeId.slice(0, 8))}
                p95Ms={taskP95[job.taskId]}
                selected={job.id === selectedJobId}
                onOpen={open}
              />
            );
          })}
          {bottom > 0 && <tr aria-hidden="true" className="job-spacer" style={{ height: bottom }} />}
        </tbody>
      </table>
    </div>
  );
}
