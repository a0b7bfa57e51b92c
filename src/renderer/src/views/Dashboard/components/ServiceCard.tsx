import { useId, type ReactNode } from 'react';
import type { LatencySample, ServiceHealth } from '../../../../../shared/types';
import { formatLatency, formatSpan } from '../format';
import { Sparkline } from './Sparkline';
import { useNow } from '../../../app/use-now';

/**
 * A service's card: its state and since when, the latency now with its 15-minute sparkline, and
 * the facts (`children`, a list of Fact) the Redis and MySQL cards add.
 */
export function ServiceCard({
  name,
  service,
  samples,
  windowMs,
  children,
  notice,
}: {
  name: string;
  service: ServiceHealth | undefined;
  samples: LatencySample[] | undefined;
  windowMs: number;
  children: ReactNode;
  notice?: ReactNode;
}) {
  const titleId = useId();
  const now = useNow();
  const status = service?.status ?? 'unknown';
  const latencyMs = service?.latencyMs ?? lastLatency(samples);
  return (
    <section className="card service-card" aria-labelledby={titleId} data-testid={`card-${name.toLowerCase()}`}>
      <header className="card-head">
        <h3 id={titleId}>{name}</h3>
        <span className={`status status-${status}`} data-status={status}>
          {status}
        </span>
      </header>
      <div className="latency-row">
        <p className="latency-now">
          <span className="figure">{latencyMs != null ? formatLatency(latencyMs) : '—'}</span>
          <span className="caption">
            {service === undefined
              ? 'asking…'
              : `latency now · ${status} for ${formatSpan(now - Date.parse(service.since))}`}
          </span>
        </p>
        {samples !== undefined && <Sparkline samples={samples} windowMs={windowMs} label={`${name} latency`} />}
      </div>
      {service?.error != null && service.status !== 'up' && (
        <p className="error" role="status">
          {service.error}
        </p>
      )}
      <dl className="facts">{children}</dl>
      {notice}
    </section>
  );
}

export function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/**
 * The newest measured latency of the history: the health event may not carry one yet (a node
 * just started, or Redis just came back) while the probes have already measured it.
 */
function lastLatency(samples: LatencySample[] | undefined): number | null {
  for (let i = (samples?.length ?? 0) - 1; i >= 0; i--) {
    const ms = samples![i]!.latencyMs;
    if (ms !== null) return ms;
  }
  return null;
}
