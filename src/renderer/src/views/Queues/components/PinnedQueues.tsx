import type { NodeQueues } from '../../../../../shared/types';
import { ReadyList } from './ReadyLane';
import { nodeLabel } from './RunningLane';
import { WaitingList } from './WaitingLane';

/**
 * The queues of `this-node` tasks, one pair per node: only that node runs them, and it takes
 * them before the shared ready list.
 */
export function PinnedQueues({ nodes, now }: { nodes: readonly NodeQueues[]; now: number }) {
  const pinned = nodes.filter((n) => n.pinned.waiting.count + n.pinned.ready.count > 0);
  return (
    <section className="panel" aria-labelledby="pinned-title" data-testid="pinned-queues">
      <h3 id="pinned-title">Pinned to a node</h3>
      {pinned.length === 0 ? (
        <p className="muted">
          No job is pinned. A task whose target is <code>this-node</code> queues its jobs here, for its own node only.
        </p>
      ) : (
        <div className="pinned-nodes">
          {pinned.map((n) => (
            <div key={n.nodeId} className="pinned-node" role="group" aria-label={`Pinned to ${nodeLabel(n)}`}>
              <h4 className="node-title">
                <span className="node-name">{nodeLabel(n)}</span>
              </h4>
              <div className="pinned-pair">
                <div>
                  <p className="pinned-head">Waiting · {n.pinned.waiting.count.toLocaleString()}</p>
                  {n.pinned.waiting.count === 0 && <p className="lane-empty">None</p>}
                  <WaitingList entries={n.pinned.waiting.next} now={now} label={`Waiting for ${nodeLabel(n)}`} />
                </div>
                <div>
                  <p className="pinned-head">Ready · {n.pinned.ready.count.toLocaleString()}</p>
                  {n.pinned.ready.count === 0 && <p className="lane-empty">None</p>}
                  <ReadyList entries={n.pinned.ready.entries} label={`Ready for ${nodeLabel(n)}, in queue order`} />
                </div>
              </div>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
