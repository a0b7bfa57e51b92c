import { useId } from 'react';
import { JOB_STATUSES } from '../../../../../shared/schemas';
import { useTickrStore } from '../../../app/store';

/** Jobs per status: finished ones of the last 24 h, and those waiting, ready or running now. */
export function JobCountsCard() {
  const titleId = useId();
  const counts = useTickrStore((s) => s.jobCounts?.counts);
  const error = useTickrStore((s) => s.countsError);
  return (
    <section className="card counts-card" aria-labelledby={titleId}>
      <header className="card-head">
        <h3 id={titleId}>Jobs, last 24 h</h3>
      </header>
      {counts === undefined ? (
        <p className={error === null ? 'empty' : 'error'}>{error ?? 'Counting…'}</p>
      ) : (
        <dl className="counts">
          {JOB_STATUSES.map((status) => (
            <div key={status} className={`count count-${status}`} data-testid={`count-${status}`}>
              <dt>{status}</dt>
              <dd>{counts[status].toLocaleString()}</dd>
            </div>
          ))}
        </dl>
      )}
      {counts !== undefined && error !== null && <p className="error">{error}</p>}
    </section>
  );
}
