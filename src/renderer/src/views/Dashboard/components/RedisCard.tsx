import type { RedisPersistence } from '../../../../../shared/types';
import { useTickrStore } from '../../../app/store';
import { formatBytes, formatSpan, memoryShare } from '../format';
import { Fact, ServiceCard } from './ServiceCard';
import { useNow } from '../../../app/use-now';

const PERSISTENCE: Record<RedisPersistence, string> = {
  rdb: 'RDB snapshots',
  aof: 'AOF (append-only file)',
  'rdb+aof': 'RDB snapshots and AOF',
  none: 'none: a restart empties it',
  unknown: 'unknown (CONFIG is not readable)',
};

function Memory({ used, max }: { used: number | null; max: number | null }) {
  if (used === null) return <>—</>;
  const share = memoryShare(used, max);
  if (share === null || max === null) return <>{formatBytes(used)}, no maxmemory limit</>;
  return (
    <>
      {formatBytes(used)} of {formatBytes(max)}
      <meter
        className="memory-meter"
        min={0}
        max={1}
        low={0.7}
        high={0.9}
        optimum={0}
        value={share}
        aria-label={`Redis memory: ${Math.round(share * 100)}% of maxmemory`}
      />
    </>
  );
}

/** Redis: state, latency, version, memory against maxmemory, persistence, and its last loss of state. */
export function RedisCard() {
  const service = useTickrStore((s) => s.health?.redis);
  const history = useTickrStore((s) => s.healthHistory);
  const error = useTickrStore((s) => s.historyError);
  const now = useNow();
  const server = history?.redis.server ?? null;
  const loss = history?.redis.lastStateLoss ?? null;
  const evicts = server?.maxmemoryPolicy != null && server.maxmemoryPolicy !== 'noeviction';
  return (
    <ServiceCard
      name="Redis"
      service={service}
      samples={history?.redis.samples}
      windowMs={history?.windowMs ?? 15 * 60_000}
      notice={
        <>
          {evicts && (
            <p className="warning" role="note">
              maxmemory-policy is <code>{server.maxmemoryPolicy}</code>: when memory runs out, Redis may evict queued
              job ids. Set it to <code>noeviction</code>.
            </p>
          )}
          {error !== null && <p className="error">{error}</p>}
        </>
      }
    >
      <Fact term="Version">{server?.version ?? '—'}</Fact>
      <Fact term="Memory">
        <Memory used={server?.usedMemoryBytes ?? null} max={server?.maxmemoryBytes ?? null} />
      </Fact>
      <Fact term="Eviction policy">{server?.maxmemoryPolicy ?? '—'}</Fact>
      <Fact term="Persistence">{server === null ? '—' : PERSISTENCE[server.persistence]}</Fact>
      <Fact term="Last lost state">
        {loss === null ? (
          'never recorded'
        ) : (
          <span title={`${loss.reason} (${new Date(loss.at).toLocaleString()})`}>
            {formatSpan(now - Date.parse(loss.at))} ago · rebuilt {loss.jobs} {loss.jobs === 1 ? 'job' : 'jobs'} in{' '}
            {loss.ms} ms
          </span>
        )}
      </Fact>
    </ServiceCard>
  );
}
