import type { DiagnosticFinding } from '../../../../../shared/types';
import { routeHash } from '../../../app/routing/routes';

const TITLES: Record<DiagnosticFinding['kind'], string> = {
  stray: 'Stray ids in Redis',
  unqueued: 'Due jobs no queue holds',
  duplicate: 'Ids held twice',
  marker: 'Marker and run_id',
};

/** One kind of finding: its count, what it means, and example ids linking to their jobs. */
export function FindingCard({ finding }: { finding: DiagnosticFinding }) {
  const ok = finding.count === 0;
  const title = TITLES[finding.kind];
  return (
    <section className={`panel finding ${ok ? 'finding-ok' : 'finding-bad'}`} aria-label={title}>
      <div className="finding-head">
        <h3>{title}</h3>
        <span className={`finding-count ${ok ? 'status-up' : 'status-down'}`}>
          {finding.kind === 'marker'
            ? ok
              ? 'match'
              : 'mismatch'
            : ok
              ? 'none'
              : finding.count.toLocaleString('en-US')}
        </span>
      </div>
      <p className="hint">{finding.detail}</p>
      {finding.examples.length > 0 && (
        <ul className="finding-examples" aria-label={`${title}: examples`}>
          {finding.examples.map((e) => (
            <li key={e.id}>
              <a href={routeHash({ view: 'jobs', id: e.id })}>#{e.id}</a>{' '}
              <span className="hint">
                {e.status === null ? 'no job row' : e.status}
                {e.where.length > 0 ? ` · in ${e.where.join(', ')}` : ' · in no queue'}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
