import type { JobDetail, Task } from '../../../../../shared/types';
import { jobReasons } from '../reason-words';

/** Why the job did not run or did not finish, in words; nothing when it ran as planned. */
export function JobReasons({ job, task, names }: { job: JobDetail; task: Task | null; names: Record<string, string> }) {
  const reasons = jobReasons(job, task, names);
  if (reasons.length === 0) return null;
  return (
    <section className="panel job-reasons" aria-labelledby="job-reasons-title">
      <h3 id="job-reasons-title">Why</h3>
      <ul>
        {reasons.map((r, i) => (
          <li key={i} className={`reason reason-${r.kind}`} data-testid="job-reason" data-kind={r.kind}>
            <strong>{r.title}</strong>
            <p>{r.detail}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
