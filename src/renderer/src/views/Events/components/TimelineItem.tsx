import type { NodeInfo } from '../../../../../shared/types';
import { eventFacts, lengthOf, type OutageEntry, type TimelineEntry } from '../timeline';

const SERVICE: Record<OutageEntry['service'], string> = { redis: 'Redis', mysql: 'MySQL' };

/** "20:33:49" today, "2 Dec 20:33:49" another day: the local clock, to the second. */
export function formatAt(iso: string, now: number): string {
  const d = new Date(iso);
  const time = d.toLocaleTimeString('en-GB', { hour12: false });
  const sameDay = new Date(now).toDateString() === d.toDateString();
  return sameDay ? time : `${d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })} ${time}`;
}

function nodeLabel(nodeId: string | null, nodes: readonly NodeInfo[] | null): string | null {
  if (nodeId === null) return null;
  const node = nodes?.find((n) => n.id === nodeId);
  return node ? node.name : nodeId.slice(0, 8);
}

function Outage({ entry, now, node }: { entry: OutageEntry; now: number; node: string | null }) {
  const name = SERVICE[entry.service];
  const length =
    entry.state === 'ongoing'
      ? lengthOf(Math.max(0, now - Date.parse(entry.start)))
      : entry.durationMs !== null
        ? lengthOf(entry.durationMs)
        : null;
  const title =
    entry.state === 'ongoing'
      ? `${name} down — ongoing`
      : entry.state === 'unknown'
        ? `${name} down — end not recorded`
        : `${name} outage`;
  return (
    <>
      <div className="event-head">
        <span className={`event-level level-${entry.state === 'ended' ? 'warn' : 'error'}`}>
          {entry.state === 'ongoing' ? 'ongoing' : 'outage'}
        </span>
        <strong className="event-title">{title}</strong>
        {length !== null && <span className="event-fact">{entry.state === 'ongoing' ? `for ${length}` : length}</span>}
        {node !== null && <span className="event-node">{node}</span>}
        <time className="event-at" dateTime={entry.end ?? entry.start}>
          {formatAt(entry.end ?? entry.start, now)}
        </time>
      </div>
      <p className="event-message">
        from <time dateTime={entry.start}>{formatAt(entry.start, now)}</time>
        {entry.end !== null ? (
          <>
            {' '}
            to <time dateTime={entry.end}>{formatAt(entry.end, now)}</time>
          </>
        ) : entry.state === 'ongoing' ? (
          ' until now'
        ) : (
          ''
        )}
        {entry.error !== null && <span className="event-error"> · {entry.error}</span>}
      </p>
    </>
  );
}

/** One entry of the timeline: an event with its figures, or an outage with both its ends. */
export function TimelineItem({
  entry,
  now,
  nodes,
}: {
  entry: TimelineEntry;
  now: number;
  nodes: readonly NodeInfo[] | null;
}) {
  if (entry.type === 'outage') {
    return (
      <li className={`event-item outage outage-${entry.state}`} data-kind={`${entry.service}.outage`}>
        <Outage entry={entry} now={now} node={nodeLabel(entry.nodeId, nodes)} />
      </li>
    );
  }
  const { event } = entry;
  const node = nodeLabel(event.nodeId, nodes);
  return (
    <li className={`event-item level-${event.level}-item`} data-kind={event.kind}>
      <div className="event-head">
        <span className={`event-level level-${event.level}`}>{event.level}</span>
        <code className="event-kind">{event.kind}</code>
        {eventFacts(event).map((f) => (
          <span key={f} className="event-fact">
            {f}
          </span>
        ))}
        {node !== null && <span className="event-node">{node}</span>}
        <time className="event-at" dateTime={event.at}>
          {formatAt(event.at, now)}
        </time>
      </div>
      <p className="event-message">{event.message}</p>
    </li>
  );
}
