import type { NodeQueues } from '../../../../../shared/types';
import { expectedDuration, remainingMs, type Durations } from '../estimate';
import { formatDuration, remainingText } from '../format';
import { EntryLink } from './EntryLink';
import { EntryList } from './EntryList';

export function nodeLabel(node: Pick<NodeQueues, 'name' | 'nodeId'>): string {
  return node.name ?? node.nodeId;
}

/** One node's running jobs: task, attempt, time elapsed and expected time left. */
export function NodeRunning({ node, durations, now }: { node: NodeQueues; durations: Durations; now: number }) {
  const titleId = `running-${node.nodeId}`;
  const busy =
    node.concurrency === null
      ? `${node.running.count} running`
      : `${node.running.count}/${node.concurrency} workers busy`;
  return (
    <div
      className="node-group"
      role="group"
      aria-labelledby={titleId}
      data-testid="running-node"
      data-node-id={node.nodeId}
    >
      <h4 id={titleId} className="node-title">
        <span className="node-name">{nodeLabel(node)}</span>
        <span className="node-load">
          {busy}
          {!node.alive && ' · not responding'}
        </span>
      </h4>
      <EntryList label={`Running on ${nodeLabel(node)}`}>
        {node.running.entries.map((e) => {
          const started = e.startedAt === null ? null : Date.parse(e.startedAt);
          const left = remainingMs(started, expectedDuration(e.taskId, durations), now);
          return (
            <li
              key={e.id}
              className="entry entry-running"
              data-flip-key={e.id}
              data-testid="queue-entry"
              data-job-id={e.id}
            >
              <EntryLink entry={e} />
              <span className="entry-meta">
                {e.maxAttempts > 0 ? `attempt ${e.attempt}/${e.maxAttempts}` : 'claiming'}
                {started !== null &&
                  ` · ${formatDuration(Math.max(0, now - started))} elapsed · ${remainingText(left)}`}
              </span>
            </li>
          );
        })}
      </EntryList>
    </div>
  );
}
