import type { ReactNode } from 'react';

export interface LaneProps {
  id: 'waiting' | 'ready' | 'running';
  title: string;
  /** Every job in the lane, shown or not. */
  count: number;
  /** How many of them the lane lists; the rest are "+N more". */
  shown: number;
  /** What the lane holds, said when it is empty. */
  empty: ReactNode;
  note?: ReactNode;
  children: ReactNode;
}

/**
 * One lane: its title and count, and a body of fixed height that scrolls, so that hundreds of
 * ids streaming in and out never move the page around them.
 */
export function Lane({ id, title, count, shown, empty, note, children }: LaneProps) {
  const titleId = `lane-${id}-title`;
  const hidden = count - shown;
  return (
    <section
      className={`panel lane lane-${id}`}
      aria-labelledby={titleId}
      data-testid={`lane-${id}`}
      data-count={count}
    >
      <div className="lane-head">
        <h3 id={titleId}>{title}</h3>
        <span className="lane-count">
          {count.toLocaleString()}
          <span className="sr-only"> {count === 1 ? 'job' : 'jobs'}</span>
        </span>
      </div>
      {note !== undefined && <p className="lane-note">{note}</p>}
      <div className="lane-body">
        {count === 0 && <p className="lane-empty">{empty}</p>}
        {children}
        {hidden > 0 && (
          <p className="lane-more" data-testid={`lane-${id}-more`}>
            +{hidden.toLocaleString()} more
          </p>
        )}
      </div>
    </section>
  );
}
