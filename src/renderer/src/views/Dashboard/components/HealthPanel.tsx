import type { ReactNode } from 'react';
import type { ServiceHealth } from '../../../../../shared/types';
import { useTickrStore } from '../../../app/store';

function time(iso: string): string {
  return new Date(iso).toLocaleTimeString();
}

function Service({ name, service, extra }: { name: string; service: ServiceHealth; extra?: ReactNode }) {
  return (
    <div className="service">
      <dt>{name}</dt>
      <dd>
        <span className={`status status-${service.status}`}>{service.status}</span>
        {service.latencyMs !== null && <span> · {service.latencyMs} ms</span>}
        <span> · since {time(service.since)}</span>
        {extra}
        {service.error !== null && <span className="error"> · {service.error}</span>}
      </dd>
    </div>
  );
}

/**
 * Redis, MySQL and this node in some detail: latency, since when, errors, the journal. The frame's
 * top bar shows the same health in short (app/frame/HealthPills.tsx); both follow health.changed.
 */
export function HealthPanel() {
  const health = useTickrStore((s) => s.health);
  const error = useTickrStore((s) => s.healthError);

  if (health === null) return <p className={error === null ? 'empty' : 'error'}>{error ?? 'Asking the node…'}</p>;
  const { journalPending } = health.mysql;
  const { node } = health;
  return (
    <>
      <dl className="services">
        <Service name="Redis" service={health.redis} />
        <Service
          name="MySQL"
          service={health.mysql}
          extra={journalPending > 0 && <span> · {journalPending} results waiting in the local journal</span>}
        />
        <div className="service">
          <dt>This node</dt>
          <dd>
            <span title={node.id}>{node.name}</span> · {node.running} of {node.concurrency} workers busy
            {node.draining && ' · draining'}
          </dd>
        </div>
      </dl>
      {error !== null && <p className="error">{error}</p>}
    </>
  );
}
