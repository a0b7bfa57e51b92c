import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { useTickrStore } from '../../../app/store';
import { describeFilter } from '../format';
import { BulkProgress } from './BulkProgress';

const NOUNS = { retry: ['retries', 'Retry'], cancel: ['cancels', 'Cancel'] } as const;

/**
 * The bulk action on everything the filter matches: first the dry run's count (jobs.bulkPreview),
 * then, once confirmed, the operation on the server with its progress (bulk.progress events), a
 * Stop, and the summary. The confirm button is disabled from the first click until the answer, and
 * the engine returns the running operation for a second start, so it cannot start twice.
 * Esc or Close closes it; a running operation goes on, shown above the list.
 */
export function BulkDialog() {
  const bulkRequest = useTickrStore((s) => s.bulkRequest);
  const preview = useTickrStore((s) => s.bulkPreview);
  const starting = useTickrStore((s) => s.bulkStarting);
  const op = useTickrStore((s) => s.bulkOp);
  const error = useTickrStore((s) => s.bulkError);
  const tasks = useTickrStore((s) => s.tasks);
  const nodes = useTickrStore((s) => s.jobNodes);
  const { closeBulk, startBulk, stopBulk } = useTickrStore.getState();
  const titleId = useId();
  const textId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  if (bulkRequest === null) return null;

  const [verbs, Verb] = NOUNS[bulkRequest.action];
  const status = bulkRequest.filter.status ?? '';
  // The operation this dialog started (openBulk clears a finished one; the view opens no dialog while one runs).
  const following = op;
  const matching = preview?.matching ?? null;
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    closeBulk();
  };

  return (
    <div className="bulk-overlay">
      <div
        className="bulk-dialog panel"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={textId}
        data-testid="bulk-dialog"
        onKeyDown={onKeyDown}
      >
        <h3 id={titleId}>
          {Verb} {status} jobs
        </h3>
        <p id={textId}>
          {following !== null
            ? `On the server, in batches: ${describeFilter(following.filter, tasks, nodes)}.`
            : matching === null
              ? 'Counting the jobs this touches (a dry run)…'
              : matching === 0
                ? `No job matches (${describeFilter(bulkRequest.filter, tasks, nodes)}): nothing to do.`
                : `This ${verbs} ${matching.toLocaleString()} ${matching === 1 ? 'job' : 'jobs'}: ${describeFilter(bulkRequest.filter, tasks, nodes)}. Every matching job, not only the loaded rows.`}
        </p>
        {following !== null && <BulkProgress op={following} onStop={() => void stopBulk()} />}
        {error !== null && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" className="secondary" ref={closeRef} onClick={closeBulk}>
            Close
          </button>
          {following === null && matching !== null && matching > 0 && (
            <button type="button" disabled={starting} onClick={() => void startBulk()}>
              {starting ? 'Starting…' : `${Verb} ${matching.toLocaleString()} ${matching === 1 ? 'job' : 'jobs'}`}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
