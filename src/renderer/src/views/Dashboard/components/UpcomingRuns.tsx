import { useId } from 'react';
import { useTickrStore } from '../../../app/store';
import { groupByMinute, type MinuteGroup } from '../format';

const SHOWN_GROUPS = 8;

function time(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/**
 * The next 24 h of runs: a timeline of every minute with runs (minutes where several tasks start
 * together stand out: they compete for the same workers), and the soonest as a list.
 */
export function UpcomingRuns() {
  const titleId = useId();
  const upcoming = useTickrStore((s) => s.upcoming);
  const error = useTickrStore((s) => s.upcomingError);
  if (upcoming === null)
    return (
      <section className="card upcoming-card" aria-labelledby={titleId}>
        <header className="card-head">
          <h3 id={titleId}>Upcoming runs, next 24 h</h3>
        </header>
        <p className={error === null ? 'empty' : 'error'}>{error ?? 'Reading schedules…'}</p>
      </section>
    );
  const from = Date.parse(upcoming.from);
  const span = Date.parse(upcoming.to) - from;
  const groups = groupByMinute(upcoming.items);
  const clashes = groups.filter((g) => g.clash).length;
  const tasks = new Set(upcoming.items.map((r) => r.taskId)).size;
  const left = (g: MinuteGroup) => `${Math.min(100, Math.max(0, ((g.minute - from) / span) * 100))}%`;
  return (
    <section className="card upcoming-card" aria-labelledby={titleId}>
      <header className="card-head">
        <h3 id={titleId}>Upcoming runs, next 24 h</h3>
        <span className="caption" data-testid="upcoming-summary">
          {upcoming.items.length} {upcoming.items.length === 1 ? 'run' : 'runs'} of {tasks}{' '}
          {tasks === 1 ? 'task' : 'tasks'}
          {upcoming.truncated && ' (the first shown)'}
          {clashes > 0 && ` · ${clashes} ${clashes === 1 ? 'minute' : 'minutes'} with several tasks`}
        </span>
      </header>
      {groups.length === 0 ? (
        <p className="empty">No task is scheduled in the next 24 hours.</p>
      ) : (
        <>
          <div className="timeline" aria-hidden="true">
            {groups.map((g) => (
              <span
                key={g.minute}
                className={`tick${g.clash ? ' tick-clash' : ''}`}
                style={{ left: left(g) }}
                title={`${time(g.minute)}: ${g.runs.map((r) => r.taskName).join(', ')}`}
              />
            ))}
            {[0, 6, 12, 18, 24].map((h) => (
              <span key={h} className="timeline-label" style={{ left: `${(h / 24) * 100}%` }}>
                {h === 0 ? 'now' : `+${h} h`}
              </span>
            ))}
          </div>
          <ol className="upcoming-list">
            {groups.slice(0, SHOWN_GROUPS).map((g) => (
              <li key={g.minute} className={g.clash ? 'clash' : undefined} data-clash={g.clash}>
                <time dateTime={new Date(g.minute).toISOString()}>{time(g.minute)}</time>
                <span className="names" title={[...new Set(g.runs.map((r) => r.taskName))].join(', ')}>
                  {[...new Set(g.runs.map((r) => r.taskName))].join(', ')}
                </span>
                {g.clash && <span className="badge">same minute</span>}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
