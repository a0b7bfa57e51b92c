import type { ReadyEntry } from '../../../../../shared/types';
import { etaText } from '../format';
import { EntryLink } from './EntryLink';
import { EntryList } from './EntryList';

/** Ready jobs in the order workers take them: position, job, and when it should start (if known). */
export function ReadyList({
  entries,
  etas,
  label,
}: {
  entries: readonly ReadyEntry[];
  /** Per entry, ms until it starts; leave out where no estimate applies (a pinned queue). */
  etas?: readonly (number | null)[];
  label: string;
}) {
  return (
    <EntryList label={label}>
      {entries.map((e, i) => {
        const eta = etas === undefined ? null : etaText(etas[i] ?? null);
        return (
          <li key={e.id} className="entry" data-flip-key={e.id} data-testid="queue-entry" data-job-id={e.id}>
            <span className="entry-pos" title={`Position ${e.position} in the queue`}>
              {e.position}
            </span>
            <EntryLink entry={e} />
            {eta !== null && (
              <span className="entry-meta" title="Expected start">
                {eta}
              </span>
            )}
          </li>
        );
      })}
    </EntryList>
  );
}
