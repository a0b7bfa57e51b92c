import { useTickrStore } from '../../../app/store';
import { Fact, ServiceCard } from './ServiceCard';

/** MySQL: state, latency, version, and the results waiting in this node's local journal. */
export function MysqlCard() {
  const service = useTickrStore((s) => s.health?.mysql);
  const history = useTickrStore((s) => s.healthHistory);
  const journal = useTickrStore((s) => s.health?.mysql.journalPending ?? s.healthHistory?.mysql.journalPending);
  return (
    <ServiceCard
      name="MySQL"
      service={service}
      samples={history?.mysql.samples}
      windowMs={history?.windowMs ?? 15 * 60_000}
    >
      <Fact term="Version">{history?.mysql.server?.version ?? '—'}</Fact>
      <Fact term="Journal">
        {journal === undefined
          ? '—'
          : journal === 0
            ? 'empty: every result is in MySQL'
            : `${journal} ${journal === 1 ? 'result' : 'results'} waiting, written when MySQL answers`}
      </Fact>
    </ServiceCard>
  );
}
