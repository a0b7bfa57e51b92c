import type { ServiceStatus } from '../../../../shared/types';
import { useTickrStore } from '../store';

function ServicePill({ label, status, testId }: { label: string; status: ServiceStatus | undefined; testId: string }) {
  const value = status ?? 'unknown';
  return (
    <span className={`pill status status-${value}`} data-testid={testId} data-status={value}>
      {label} <strong>{value}</strong>
    </span>
  );
}

/** This node's load: busy workers of all, as text and as a small bar. */
function NodeLoad() {
  const node = useTickrStore((s) => s.health?.node);
  const error = useTickrStore((s) => s.healthError);
  if (node === undefined)
    return (
      <span className={`pill ${error === null ? '' : 'pill-error'}`} title={error ?? undefined}>
        {error === null ? 'Connecting…' : 'Health unknown'}
      </span>
    );
  const share = node.concurrency > 0 ? Math.min(node.running / node.concurrency, 1) : 0;
  return (
    <span
      className="pill node-load"
      data-testid="health-node"
      title={`${node.name} (${node.id}): ${node.running} of ${node.concurrency} workers busy`}
    >
      {node.name} · {node.running}/{node.concurrency} running
      <span className="load-bar" aria-hidden="true">
        <span style={{ width: `${share * 100}%` }} />
      </span>
    </span>
  );
}

/** Redis, MySQL and this node's load, always in view; kept current by health.changed events. */
export function HealthPills() {
  const redis = useTickrStore((s) => s.health?.redis.status);
  const mysql = useTickrStore((s) => s.health?.mysql.status);
  return (
    <ul className="health-pills" aria-label="Health">
      <li>
        <ServicePill label="Redis" status={redis} testId="health-redis" />
      </li>
      <li>
        <ServicePill label="MySQL" status={mysql} testId="health-mysql" />
      </li>
      <li>
        <NodeLoad />
      </li>
    </ul>
  );
}
