import { useTickrStore } from '../../app/store';
import { LogViewer } from './log/LogViewer';

/** One job (`#/jobs/<id>`): its log, live while it runs. */
export function JobDetailView({ jobId }: { jobId: string }) {
  const navigate = useTickrStore((s) => s.navigate);
  return (
    <>
      <p>
        <a
          href="#/jobs"
          onClick={(event) => {
            event.preventDefault();
            navigate({ view: 'jobs', id: null });
          }}
        >
          ← All jobs
        </a>
      </p>
      <section className="panel" aria-labelledby="job-log-title">
        <h3 id="job-log-title">Log of job {jobId}</h3>
        <LogViewer jobId={jobId} />
      </section>
    </>
  );
}
