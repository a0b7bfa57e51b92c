import { useId } from 'react';
import { isEmptyFilter } from '../../../app/routing/job-filter-params';
import { useTickrStore } from '../../../app/store';
import { EXAMPLE_TASK } from '../example-task';

/**
 * The first-launch panel of Dashboard and Tasks: what a task, a job and a queue are, and one click
 * to an example task that runs at once. Shown once the job list has loaded and is empty (not while
 * it loads). `showError`: false where the task form beside it already shows the same createError.
 */
export function GettingStarted({ showError }: { showError: boolean }) {
  const titleId = useId();
  // An empty list read under a filter (the Jobs view's) says nothing about a first launch.
  const firstLaunch = useTickrStore((s) => s.jobsLoaded && s.jobs.length === 0 && isEmptyFilter(s.jobsFilter));
  const createExampleTask = useTickrStore((s) => s.createExampleTask);
  const creating = useTickrStore((s) => s.creating);
  const error = useTickrStore((s) => s.createError);
  if (!firstLaunch) return null;
  return (
    <section className="panel getting-started" aria-labelledby={titleId}>
      <h3 id={titleId}>No jobs yet. Start with an example</h3>
      <dl className="glossary">
        <dt>Task</dt>
        <dd>
          What to run — a shell command or an HTTP request — and when: once, on an interval or on a cron schedule.
        </dd>
        <dt>Job</dt>
        <dd>
          One run of a task, with its attempts, exit code and log. A failed attempt is retried by the task’s policy.
        </dd>
        <dt>Queue</dt>
        <dd>
          Where jobs wait until they are due and a worker is free, on this node or another sharing Redis and MySQL.
        </dd>
      </dl>
      <div className="actions">
        <button type="button" data-testid="example-task" disabled={creating} onClick={() => void createExampleTask()}>
          Create an example task
        </button>
        <span className="hint">
          runs <code>{EXAMPLE_TASK.command}</code> once, now
        </span>
      </div>
      {showError && error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
