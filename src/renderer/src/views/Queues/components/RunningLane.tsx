import type { NodeQueues } from '../../../../../shared/types';
import { expectedDuration, remainingMs, type Durations } from '../estimate';
import { formatDuration, remainingText } from '../format';
import { EntryLink } from './EntryLink';
import { EntryList } from './EntryList';

export function nodeLabel(node: Pick<NodeQueues, 'name' | 'nodeId'>): string {
  return node.name ?? node.nodeId;
}

/** "attempt 2/3 · 4.0 s elapsed · ~6.0 s left"; what is not known is left out. */
function runningMeta(attempt: number, maxAttempts: number, started: number | null, left: number | null, now: number) {
  const parts = [maxAttempts > 0 ? `attempt ${attempt}/${maxAttempts}` : 'attempt unknown'];
  if (started === null) parts.push('starting');
  else {
    parts.push(`${formatDuration(Math.max(0, now - started))} elapsed`);
    if (left !== null) parts.push(remainingText(left));
  }
  return parts.join(' · ');
}

/**
 * "3/8 workers busy". A job whose work has ended frees its worker while its result is written, so
 * a busy node can list more running jobs than it has workers for a moment: those are finishing.
 */
function busyText(count: number, concurrency: number | null): string {
  if (concurrency === null) return `${count} running`;
  if (count <= concurrency) return `${count}/${concurrency} workers busy`;
  return `${concurrency}/${concurrency} workers busy · ${count - concurrency} finishing`;
}

/** One node's running jobs: task, attempt, time elapsed and expected time left. */
export function NodeRunning({ node, durations, now }: { node: NodeQueues; durations: Durations; now: number }) {
  const titleId = `running-${node.nodeId}`;
  const busy = busyText(node.running.count, node.concurrency);
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
              <span className="entry-meta">{runningMeta(e.attempt, e.maxAttempts, started, left, now)}</span>
            </li>
          );
        })}
      </EntryList>
    </div>
  );
}
