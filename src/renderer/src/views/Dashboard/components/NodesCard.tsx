import { useId } from 'react';
import { useTickrStore } from '../../../app/store';
import { formatSpan } from '../format';
import { useNow } from '../../../app/use-now';

/** Every node sharing this Redis and MySQL: its load against its workers, its heartbeat, alive or gone. */
export function NodesCard() {
  const titleId = useId();
  const nodes = useTickrStore((s) => s.nodes);
  const running = useTickrStore((s) => s.jobCounts?.runningByNode);
  const error = useTickrStore((s) => s.nodesError);
  const thisNode = useTickrStore((s) => s.health?.node.id);
  const now = useNow();
  return (
    <section className="card nodes-card" aria-labelledby={titleId}>
      <header className="card-head">
        <h3 id={titleId}>Nodes</h3>
      </header>
      {nodes === null ? (
        <p className={error === null ? 'empty' : 'error'}>{error ?? 'Asking…'}</p>
      ) : (
        <table className="nodes" aria-labelledby={titleId}>
          <thead>
            <tr>
              <th scope="col">Node</th>
              <th scope="col">Running</th>
              <th scope="col">Heartbeat</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {nodes.map((n) => {
              const busy = running?.[n.id] ?? 0;
              const state = n.alive ? 'alive' : n.stoppedAt !== null ? 'stopped' : 'gone';
              return (
                <tr key={n.id} data-testid={`node-${n.id}`}>
                  <th scope="row" title={`${n.id} · ${n.host} pid ${n.pid}`}>
                    {n.name}
                    {n.id === thisNode && <span className="muted"> (this node)</span>}
                  </th>
                  <td>
                    {busy} / {n.concurrency}
                  </td>
                  <td>{formatSpan(now - Date.parse(n.heartbeatAt))} ago</td>
                  <td>
                    <span className={`status status-${n.alive ? 'up' : 'down'}`}>{state}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
