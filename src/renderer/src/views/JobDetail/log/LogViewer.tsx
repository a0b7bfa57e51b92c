import type { LogEntry } from '../../../../../shared/types';
import { useTickrStore } from '../../../app/store';

const EMPTY: LogEntry[] = [];

/** The log of the open job, as it grows. */
export function LogViewer({ jobId }: { jobId: string }) {
  const log = useTickrStore((s) => (s.logJobId === jobId ? s.log : EMPTY));
  const error = useTickrStore((s) => s.logError);
  const selectedJobId = jobId;

  return (
    <div>
      {error !== null && <p className="error">{error}</p>}
      <pre
        className="log"
        data-testid="job-log"
        data-job-id={selectedJobId}
        // A log that scrolls must be reachable by keyboard; role log is what it is to a screen reader.
        role="log"
        aria-label={`Log of job ${selectedJobId}`}
        tabIndex={0}
      >
        {log.map((entry) => (
          <span key={entry.seq} className={`log-line log-${entry.stream}`}>
            {entry.text.endsWith('\n') ? entry.text : `${entry.text}\n`}
          </span>
        ))}
      </pre>
    </div>
  );
}
