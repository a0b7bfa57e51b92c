import type { ServiceStatus } from '../../../../../shared/types';
import { useTickrStore } from '../../../app/store';

function Status({ label, status, testId }: { label: string; status: ServiceStatus | undefined; testId: string }) {
  const value = status ?? 'unknown';
  return (
    <span className={`status status-${value}`} data-testid={testId} data-status={value}>
      {label}: {value}
    </span>
  );
}

export function HealthPanel() {
  const health = useTickrStore((s) => s.health);
  const error = useTickrStore((s) => s.healthError);
  return (
    <div className="health">
      <Status label="Redis" status={health?.redis.status} testId="health-redis" />
      <Status label="MySQL" status={health?.mysql.status} testId="health-mysql" />
      {health !== null && (
        <span className="node" data-testid="health-node" title={health.node.id}>
          {health.node.name} · {health.node.running}/{health.node.concurrency} running
        </span>
      )}
      {error !== null && <span className="error">{error}</span>}
    </div>
  );
}
