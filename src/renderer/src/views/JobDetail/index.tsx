import { useEffect, useState } from 'react';
import { routeHash, type Route } from '../../app/routing/routes';
import { useTickrStore } from '../../app/store';
import { useNow } from '../../app/use-now';
import { AttemptTimeline } from './components/AttemptTimeline';
import { EnvironmentTable } from './components/EnvironmentTable';
import { ExitBanner } from './components/ExitBanner';
import { HttpInspector } from './components/HttpInspector';
import { JobActions } from './components/JobActions';
import { JobHead } from './components/JobHead';
import { JobReasons } from './components/JobReasons';
import { Neighbours } from './components/Neighbours';
import { LogViewer } from './log/LogViewer';
import './job-detail.css';

/**
 * One job (`#/jobs/<id>`): its head and outcome, why it did not run or finish, its attempts on a
 * timeline, the environment (and for http, the exchange) of the attempt picked there, and its
 * log, live while it runs. The page reads the job when it opens and again on its job.updated
 * events (detail-updates.ts).
 */
export function JobDetailView({ jobId }: { jobId: string }) {
  const navigate = useTickrStore((s) => s.navigate);
  const open = useTickrStore((s) => s.openJobDetail);
  const close = useTickrStore((s) => s.closeJobDetail);
  const job = useTickrStore((s) => (s.detailJobId === jobId ? s.jobDetail : null));
  const error = useTickrStore((s) => s.jobDetailError);
  const task = useTickrStore((s) => s.detailTask);
  const neighbours = useTickrStore((s) => s.detailNeighbours);
  const names = useTickrStore((s) => s.detailNodeNames);
  const [picked, setPicked] = useState<number | null>(null);
  // Back to the history as it was left: under the filter it had, not the whole of it.
  const jobsFilter = useTickrStore((s) => s.jobsFilter);
  const history: Route = { view: 'jobs', id: null, filter: jobsFilter };
  const now = useNow(job?.status === 'running' ? 1_000 : 60_000);

  useEffect(() => {
    void open(jobId);
    return close;
  }, [jobId, open, close]);

  // The attempt shown below the timeline: the one picked, else the latest.
  const attempt = job?.attempts.find((a) => a.attempt === picked) ?? job?.attempts.at(-1) ?? null;
  const isHttp = attempt?.environment?.type === 'http' || task?.type === 'http' || attempt?.http != null;

  return (
    <div className="job-detail">
      <p className="job-detail-nav">
        <a
          href={routeHash(history)}
          onClick={(event) => {
            event.preventDefault();
            navigate(history);
          }}
        >
          ← All jobs
        </a>
      </p>
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {job === null ? (
        error === null && <p className="muted">Loading job {jobId}…</p>
      ) : (
        <>
          <section className="panel" aria-labelledby="job-head-title" data-testid="job-head">
            <div className="panel-head">
              <h3 id="job-head-title">Job {job.id}</h3>
              <Neighbours neighbours={neighbours} />
            </div>
            <JobHead job={job} task={task} names={names} now={now} />
            <ExitBanner job={job} />
            <JobActions job={job} />
          </section>
          <JobReasons job={job} task={task} names={names} />
          <section className="panel" aria-labelledby="job-attempts-title">
            <h3 id="job-attempts-title">Attempts</h3>
            <AttemptTimeline
              job={job}
              now={now}
              names={names}
              selected={attempt?.attempt ?? null}
              onSelect={setPicked}
            />
          </section>
          {attempt !== null && (
            <div className="attempt-panels">
              <section className="panel" aria-labelledby="job-env-title">
                <h3 id="job-env-title">Environment of attempt {attempt.attempt}</h3>
                <EnvironmentTable env={attempt.environment} />
              </section>
              {isHttp && (
                <section className="panel" aria-labelledby="job-http-title">
                  <h3 id="job-http-title">HTTP exchange of attempt {attempt.attempt}</h3>
                  <HttpInspector exchange={attempt.http} />
                </section>
              )}
            </div>
          )}
        </>
      )}
      <section className="panel" aria-labelledby="job-log-title">
        <h3 id="job-log-title">Log of job {jobId}</h3>
        <LogViewer jobId={jobId} />
      </section>
    </div>
  );
}
