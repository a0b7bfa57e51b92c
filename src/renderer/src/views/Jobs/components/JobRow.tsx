import { memo, type MouseEvent } from 'react';
import type { Job } from '../../../../../shared/types';
import { routeHash } from '../../../app/routing/routes';
import { durationOf, formatDuration, formatWhen, isSlow, SLOW_FACTOR } from '../format';

/** The row's element id: the list's aria-activedescendant names the highlighted one. */
export function jobRowId(id: string): string {
  return `job-row-${id}`;
}

/** Rows have one fixed height, so the virtualizer knows every row's place without measuring. */
export const ROW_HEIGHT = 36;

export interface JobRowProps {
  job: Job;
  /** 1-based among the loaded rows, after the header row (aria-rowindex). */
  rowIndex: number;
  taskName: string;
  nodeName: string;
  p95Ms: number | null | undefined;
  selected: boolean;
  onOpen: (id: string) => void;
}

/** A task link inside a row goes to the task, not to the job the row opens. */
const keepToLink = (e: MouseEvent) => e.stopPropagation();

/**
 * One job of the history. Clicking it opens `#/jobs/<id>`; its id is a link to the same place, for
 * a new tab or a screen reader's link list. Memoized on its props: a job.updated re-renders the
 * one row whose job changed.
 */
export const JobRow = memo(function JobRow({
  job,
  rowIndex,
  taskName,
  nodeName,
  p95Ms,
  selected,
  onOpen,
}: JobRowProps) {
  const duration = durationOf(job);
  const slow = isSlow(duration, p95Ms);
  return (
    <tr
      id={jobRowId(job.id)}
      data-testid="job-row"
      data-job-id={job.id}
      data-status={job.status}
      aria-rowindex={rowIndex}
      className={selected ? 'selected' : undefined}
      aria-current={selected ? 'true' : undefined}
      onClick={() => onOpen(job.id)}
    >
      <td>
        {/* Out of the tab order: the list itself takes focus, and j / k move through it. */}
        <a href={routeHash({ view: 'jobs', id: job.id })} tabIndex={-1}>
          {job.id}
        </a>
      </td>
      <td className="job-task">
        <a href={routeHash({ view: 'tasks', id: job.taskId })} tabIndex={-1} onClick={keepToLink} title={taskName}>
          {taskName}
        </a>
      </td>
      <td>
        <span className={`job-status job-status-${job.status}`}>{job.status}</span>
      </td>
      <td>
        {job.attempt}/{job.maxAttempts}
      </td>
      <td className="job-when" title={job.dueAt}>
        {formatWhen(job.dueAt)}
      </td>
      <td className="job-when" title={job.startedAt ?? undefined}>
        {formatWhen(job.startedAt)}
      </td>
      <td className={slow ? 'job-duration job-duration-slow' : 'job-duration'} data-slow={slow ? 'true' : undefined}>
        {duration === null ? '—' : formatDuration(duration)}
        {slow && p95Ms != null && (
          <>
            <span
              aria-hidden="true"
              className="job-slow-mark"
              title={`More than ${SLOW_FACTOR}× this task's p95 (${formatDuration(p95Ms)})`}
            >
              {' '}
              ▲ slow
            </span>
            <span className="visually-hidden">
              , slow: more than {SLOW_FACTOR} times this task&apos;s p95 of {formatDuration(p95Ms)}
            </span>
          </>
        )}
      </td>
      <td className="job-node" title={job.nodeId ?? undefined}>
        {nodeName}
      </td>
    </tr>
  );
});
