import type { WaitingEntry } from '../../../../../shared/types';
import { countdown } from '../format';
import { EntryLink } from './EntryLink';
import { EntryList } from './EntryList';

/** Waiting jobs by due time, each with its countdown. Also used for a node's pinned set. */
export function WaitingList({ entries, now, label }: { entries: readonly WaitingEntry[]; now: number; label: string }) {
  return (
    <EntryList label={label}>
      {entries.map((e) => (
        <li key={e.id} className="entry" data-flip-key={e.id} data-testid="queue-entry" data-job-id={e.id}>
          <EntryLink entry={e} />
          <time className="entry-meta" dateTime={e.dueAt} title={new Date(e.dueAt).toLocaleString()}>
            {countdown(Date.parse(e.dueAt), now)}
          </time>
        </li>
      ))}
    </EntryList>
  );
}
