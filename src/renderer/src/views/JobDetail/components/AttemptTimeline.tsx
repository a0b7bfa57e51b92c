import type { Attempt, JobDetail } from '../../../../../shared/types';
import { attemptDuration, formatDuration } from '../outcome-words';
import { nameOf, NodeName } from './NodeName';

const OUTCOME_WORDS: Record<Attempt['outcome'], string> = {
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  timed_out: 'timed out',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
};

/**
 * The attempts on one time axis, from the job's due time to now or its end: each attempt a bar
 * in its outcome's colour, the gaps between them the waits (queue, retry back-off). Below it,
 * the same as a list, which is also what a screen reader reads; a click picks the attempt whose
 * environment and exchange the page shows.
 */
export function AttemptTimeline({
  job,
  now,
  selected,
  onSelect,
  names,
}: {
  job: JobDetail;
  names: Record<string, string>;
  now: number;
  selected: number | null;
  onSelect: (attempt: number) => void;
}) {
  if (job.attempts.length === 0) return <p className="muted">No attempt started.</p>;
  const start = Math.min(Date.parse(job.scheduledFor), Date.parse(job.attempts[0]!.startedAt));
  const end = Math.max(start + 1, ...job.attempts.map((a) => (a.finishedAt === null ? now : Date.parse(a.finishedAt))));
  const span = end - start;
  const pct = (t: number): number => ((t - start) / span) * 100;
  return (
    <div className="attempt-timeline">
      <div className="timeline-track" aria-hidden="true">
        {job.attempts.map((a) => {
          const left = pct(Date.parse(a.startedAt));
          const right = pct(a.finishedAt === null ? now : Date.parse(a.finishedAt));
          return (
            <span
              key={a.attempt}
              className={`timeline-bar outcome-${a.outcome}${selected === a.attempt ? ' selected' : ''}`}
              style={{ left: `${left}%`, width: `max(3px, ${right - left}%)` }}
              title={`Attempt ${a.attempt}: ${OUTCOME_WORDS[a.outcome]}`}
            />
          );
        })}
      </div>
      <div className="timeline-scale muted" aria-hidden="true">
        <span>{new Date(start).toLocaleTimeString()}</span>
        <span>{formatDuration(span)}</span>
        <span>{new Date(end).toLocaleTimeString()}</span>
      </div>
      <ol className="attempt-list" aria-label="Attempts">
        {job.attempts.map((a) => (
          <li key={a.attempt}>
            <button
              type="button"
              className={`attempt-button${selected === a.attempt ? ' selected' : ''}`}
              aria-pressed={selected === a.attempt}
              onClick={() => onSelect(a.attempt)}
            >
              <span className={`outcome-dot outcome-${a.outcome}`} aria-hidden="true" />
              Attempt {a.attempt}: {OUTCOME_WORDS[a.outcome]}, {formatDuration(attemptDuration(a, now))}
              <span className="muted">
                {' '}
                on <NodeName id={a.nodeId} name={nameOf(names, a.nodeId)} />
              </span>
            </button>
          </li>
        ))}
      </ol>
    </div>
  );
}
