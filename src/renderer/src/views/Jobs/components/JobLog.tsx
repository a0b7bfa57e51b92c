import { useTickrStore } from '../../../app/store';

export function JobLog() {
  const selectedJobId = useTickrStore((s) => s.selectedJobId);
  const log = useTickrStore((s) => s.log);
  const error = useTickrStore((s) => s.logError);

  if (selectedJobId === null) return <p className="empty">Select a job to see its log.</p>;
  return (
    <div>
      <p className="log-title">Job {selectedJobId}</p>
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
