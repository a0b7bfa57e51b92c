import type { JobDetail, Task } from '../../../../../shared/types';
import { routeHash } from '../../../app/routing/routes';
import { formatDuration } from '../outcome-words';
import { nameOf, NodeName } from './NodeName';

function time(iso: string | null): string {
  return iso === null ? '—' : new Date(iso).toLocaleString();
}

/** The job at a glance: status, task, node, times and how long it waited and ran. */
export function JobHead({
  job,
  task,
  names,
  now,
}: {
  job: JobDetail;
  task: Task | null;
  names: Record<string, string>;
  now: number;
}) {
  const first = job.attempts[0];
  const lastEnd = job.finishedAt === null ? now : Date.parse(job.finishedAt);
  return (
    <div className="job-head">
      <p className="job-head-title">
        <span className={`job-status job-status-${job.status}`} data-testid="job-status">
          {job.status}
        </span>
        <span>
          Task{' '}
          <a href={routeHash({ view: 'tasks', id: job.taskId })} data-testid="job-task-link">
            {task?.name ?? `#${job.taskId}`}
          </a>
          {task?.deletedAt ? <span className="muted"> (deleted)</span> : null}
        </span>
      </p>
      <dl className="facts-grid job-facts">
        <dt>Node</dt>
        <dd data-testid="job-node">
          {job.nodeId === null ? '—' : <NodeName id={job.nodeId} name={nameOf(names, job.nodeId)} />}
        </dd>
        <dt>Attempt</dt>
        <dd>
          {job.attempt} of {job.maxAttempts}
        </dd>
        <dt>Scheduled for</dt>
        <dd>{time(job.scheduledFor)}</dd>
        <dt>Started</dt>
        <dd>{time(first?.startedAt ?? null)}</dd>
        <dt>Finished</dt>
        <dd>{time(job.finishedAt)}</dd>
        {first && (
          <>
            <dt>Waited</dt>
            <dd data-testid="job-waited">
              {formatDuration(Math.max(0, Date.parse(first.startedAt) - Date.parse(job.scheduledFor)))}
            </dd>
            <dt>{job.finishedAt === null ? 'Running for' : 'Took'}</dt>
            <dd data-testid="job-took">{formatDuration(lastEnd - Date.parse(first.startedAt))}</dd>
          </>
        )}
      </dl>
    </div>
  );
}
