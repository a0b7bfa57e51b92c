import type { JobDetail } from '../../../../../shared/types';
import { routeHash } from '../../../app/routing/routes';
import { useTickrStore } from '../../../app/store';

const CANCELLABLE: ReadonlySet<JobDetail['status']> = new Set(['waiting', 'ready', 'running']);
const RETRYABLE: ReadonlySet<JobDetail['status']> = new Set(['failed', 'cancelled', 'skipped']);

/** Cancel (a job not finished) and Retry (one that failed, was cancelled or skipped), with what they did. */
export function JobActions({ job }: { job: JobDetail }) {
  const busy = useTickrStore((s) => s.jobActionBusy);
  const result = useTickrStore((s) => s.jobAction);
  const error = useTickrStore((s) => s.jobActionError);
  const cancel = useTickrStore((s) => s.cancelDetailJob);
  const retry = useTickrStore((s) => s.retryDetailJob);
  const canCancel = CANCELLABLE.has(job.status);
  const canRetry = RETRYABLE.has(job.status);
  if (!canCancel && !canRetry && result === null && error === null) return null;
  return (
    <div className="actions job-actions">
      {canCancel && (
        <button type="button" className="danger" disabled={busy} onClick={() => void cancel()}>
          Cancel job
        </button>
      )}
      {canRetry && (
        <button type="button" disabled={busy} onClick={() => void retry()}>
          Retry job
        </button>
      )}
      <span role="status" data-testid="job-action-result">
        {error !== null ? (
          <span className="error">{error}</span>
        ) : result?.jobId ? (
          <>
            Retried as <a href={routeHash({ view: 'jobs', id: result.jobId })}>job {result.jobId}</a>.
          </>
        ) : (
          result?.message
        )}
      </span>
    </div>
  );
}
