import { useEffect, useMemo } from 'react';
import { useTickrStore } from '../../app/store';
import { useNow } from '../../app/use-now';
import { EventFilters } from './components/EventFilters';
import { formatAt, TimelineItem } from './components/TimelineItem';
import { lengthOf, timelineEntries } from './timeline';
import './events.css';

/**
 * The system timeline: what happened to the services and the nodes, newest first. The first page
 * is read when the view opens or a filter changes, older pages on demand, and new events arrive
 * live (event.appended); an outage is one entry with its start and end (timeline.ts).
 */
export function EventsView() {
  const events = useTickrStore((s) => s.events);
  const error = useTickrStore((s) => s.eventsError);
  const cursor = useTickrStore((s) => s.eventsCursor);
  const loadingOlder = useTickrStore((s) => s.eventsLoadingOlder);
  const loadEvents = useTickrStore((s) => s.loadEvents);
  const loadOlderEvents = useTickrStore((s) => s.loadOlderEvents);
  const nodes = useTickrStore((s) => s.nodes);
  const loadDashboard = useTickrStore((s) => s.loadDashboard);
  const mysql = useTickrStore((s) => s.health?.mysql ?? null);
  const now = useNow();

  useEffect(() => {
    void loadEvents();
    // The node filter names the nodes: read them once if the dashboard has not.
    if (useTickrStore.getState().nodes === null) void loadDashboard(['nodes']);
  }, [loadEvents, loadDashboard]);

  const entries = useMemo(() => timelineEntries(events ?? []), [events]);

  return (
    <>
      <p className="hint">
        Live: Redis and MySQL outages with their length, rebuilds of the queues, journal replays, nodes joining and
        leaving, sweeps, clock jumps and secret-key mismatches, as each node recorded them.
      </p>
      <EventFilters />
      {mysql !== null && mysql.status !== 'up' && (
        <p className="panel outage-banner" role="status">
          <strong>MySQL down — ongoing</strong> since <time dateTime={mysql.since}>{formatAt(mysql.since, now)}</time>{' '}
          (for {lengthOf(Math.max(0, now - Date.parse(mysql.since)))}). The outage is written to the timeline when MySQL
          returns; results meanwhile go to the journal.
        </p>
      )}
      <section className="panel events-panel" aria-label="System timeline">
        {error !== null && (
          <p className="error" role="alert">
            {events === null ? error : `Showing the events read before: ${error}`}
          </p>
        )}
        {events === null ? (
          error === null && <p className="placeholder">Reading the events…</p>
        ) : entries.length === 0 ? (
          <p className="placeholder">No event matches these filters.</p>
        ) : (
          <ol className="event-timeline" aria-label="System events, newest first">
            {entries.map((entry) => (
              <TimelineItem key={entry.key} entry={entry} now={now} nodes={nodes} />
            ))}
          </ol>
        )}
        {cursor !== null && (
          <button type="button" className="load-older" onClick={() => void loadOlderEvents()} disabled={loadingOlder}>
            {loadingOlder ? 'Reading older events…' : 'Load older events'}
          </button>
        )}
      </section>
    </>
  );
}
