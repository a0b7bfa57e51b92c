import { useVirtualizer } from '@tanstack/react-virtual';
import {
  type CSSProperties,
  useCallback,
  useDeferredValue,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useTickrStore } from '../../../app/store';
import type { MarkRange } from './highlight';
import { attemptCount, emptyLineModel } from './line-model';
import { downloadLog } from './log-download';
import type { TimeMode } from './log-time';
import { LogLineRow } from './LogLine';
import { LogToolbar } from './LogToolbar';
import { findMatches, firstMatchFrom, stepMatch } from './search';
import './log.css';

const EMPTY = emptyLineModel();
const NO_RANGES: MarkRange[] = [];
/** One line's height without wrapping (log.css: 18px line-height), and the attempt marker's. */
export const ROW_HEIGHT = 18;
export const ATTEMPT_MARK_HEIGHT = 24;
/** Closer than this to the bottom counts as at the bottom: zoom can leave a fraction of a pixel. */
const BOTTOM_SLACK_PX = 4;

/**
 * The log of a job: virtualized (only the rows in view are in the DOM, so 20,000 lines open as
 * fast as 20), live, searchable, with a link per line. It follows new output while scrolled to
 * the bottom, as Cronicle does; scrolling up stops that and Follow resumes it.
 */
export function LogViewer({ jobId }: { jobId: string }) {
  const model = useTickrStore((s) => (s.logJobId === jobId ? s.logLines : EMPTY));
  const error = useTickrStore((s) => s.logError);
  const loading = useTickrStore((s) => s.logJobId === jobId && s.logLoading);
  const targetLine = useTickrStore((s) => (s.route.view === 'jobs' && s.route.id === jobId ? s.route.line : undefined));
  const count = model.lines.length;
  const showAttempt = attemptCount(model) > 1 || (model.lines[0]?.attempt ?? 1) > 1;

  const [wrap, setWrap] = useState(false);
  const [timeMode, setTimeMode] = useState<TimeMode>('clock');
  const [following, setFollowing] = useState(targetLine === undefined);
  const [query, setQuery] = useState('');
  const searched = useDeferredValue(query);
  const [current, setCurrent] = useState(-1);

  const matches = useMemo(() => findMatches(model.lines, searched), [model, searched]);
  const rangesByLine = useMemo(() => {
    const byLine = new Map<number, MarkRange[]>();
    matches.forEach((m, i) => {
      const ranges = byLine.get(m.line) ?? [];
      ranges.push({ start: m.start, end: m.end, current: i === current });
      byLine.set(m.line, ranges);
    });
    return byLine;
  }, [matches, current]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const lastScrollTop = useRef(0);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => ROW_HEIGHT + (showAttempt && model.lines[index]?.attemptStart ? ATTEMPT_MARK_HEIGHT : 0),
    overscan: 12,
  });

  // Wrapped rows have heights only the browser knows, and unwrapped ones go back to the estimate.
  useLayoutEffect(() => {
    virtualizer.measure();
  }, [virtualizer, wrap, showAttempt]);

  const totalSize = virtualizer.getTotalSize();
  // Following: once the new rows are laid out, before paint, so the view never shows a jump.
  useLayoutEffect(() => {
    if (following && count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [following, count, totalSize, virtualizer]);

  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (el === null) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX;
    // Only a move up stops following: output growing below leaves scrollTop where it was.
    if (atBottom) setFollowing(true);
    else if (el.scrollTop < lastScrollTop.current) setFollowing(false);
    lastScrollTop.current = el.scrollTop;
  }, []);

  // The line the address names: scrolled to once it has arrived, and marked.
  const scrolledToLine = useRef<number | null>(null);
  useEffect(() => {
    if (targetLine === undefined || targetLine > count || scrolledToLine.current === targetLine) return;
    scrolledToLine.current = targetLine;
    setFollowing(false);
    virtualizer.scrollToIndex(targetLine - 1, { align: 'center' });
  }, [targetLine, count, virtualizer]);

  // A new query starts at the first match from the top of the view; a growing log keeps the current one.
  const lastQuery = useRef('');
  useEffect(() => {
    if (searched === lastQuery.current) {
      if (current >= matches.length) setCurrent(matches.length - 1);
      return;
    }
    lastQuery.current = searched;
    const top = virtualizer.getVirtualItems()[0]?.index ?? 0;
    const first = firstMatchFrom(matches, top);
    setCurrent(first);
    if (first >= 0) goToLine(matches[first]?.line);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [matches, searched]);

  const goToLine = (line: number | undefined) => {
    if (line === undefined) return;
    setFollowing(false);
    virtualizer.scrollToIndex(line, { align: 'center' });
  };
  const step = (direction: 1 | -1) => {
    const next = stepMatch(current, matches.length, direction);
    setCurrent(next);
    goToLine(matches[next]?.line);
  };
  const follow = (on: boolean) => {
    setFollowing(on);
    if (on && count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  };

  return (
    <div className="log-viewer">
      {error !== null && <p className="error">{error}</p>}
      <LogToolbar
        query={query}
        onQuery={setQuery}
        matchCount={matches.length}
        current={current}
        onStep={step}
        timeMode={timeMode}
        onTimeMode={setTimeMode}
        wrap={wrap}
        onWrap={setWrap}
        following={following}
        onFollow={follow}
        lineCount={count}
        loading={loading}
        onDownload={() => downloadLog(jobId, model.lines)}
      />
      <div
        ref={scrollRef}
        className={`log-scroll${wrap ? ' log-wrap' : ''}`}
        data-testid="job-log"
        data-job-id={jobId}
        data-following={following}
        // A log that scrolls must be reachable by keyboard; role log is what it is to a screen reader.
        // Not live: the virtualizer adds and drops rows as the reader scrolls, and each would be read out.
        role="log"
        aria-live="off"
        aria-label={`Log of job ${jobId}`}
        tabIndex={0}
        onScroll={onScroll}
        style={
          {
            '--log-number-width': `${String(Math.max(count, 1)).length}ch`,
            // The border's 2px included, so a short log shows whole without a scrollbar.
            ...(count > 0 ? { '--log-content-height': `${totalSize + 2}px` } : {}),
          } as CSSProperties
        }
      >
        {count === 0 && <p className="log-empty muted">{loading ? 'Loading the log…' : 'No output yet.'}</p>}
        <div className="log-rows" style={{ height: totalSize }}>
          {virtualizer.getVirtualItems().map((item) => {
            const line = model.lines[item.index];
            if (line === undefined) return null;
            return (
              <div
                key={item.key}
                className="log-line"
                data-index={item.index}
                data-line={line.number}
                ref={wrap ? virtualizer.measureElement : undefined}
                style={{ transform: `translateY(${item.start}px)`, ...(wrap ? {} : { height: item.size }) }}
              >
                <LogLineRow
                  jobId={jobId}
                  line={line}
                  timeMode={timeMode}
                  attemptStartMs={model.attemptStartAt.get(line.attempt)}
                  showAttempt={showAttempt}
                  target={line.number === targetLine}
                  ranges={rangesByLine.get(item.index) ?? NO_RANGES}
                />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
