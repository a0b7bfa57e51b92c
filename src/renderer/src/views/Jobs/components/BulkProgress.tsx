import type { BulkOperation } from '../../../../../shared/types';
import { handledOf, isActiveOp } from '../bulk-slice';

const VERBS = { retry: ['Retrying', 'Retried'], cancel: ['Cancelling', 'Cancelled'] } as const;

/** "Retried 298 jobs; 2 skipped (they had changed state); 0 failed", and how it ended. */
export function summaryOf(op: BulkOperation): string {
  const parts = [`${VERBS[op.action][1]} ${op.done.toLocaleString()} ${op.done === 1 ? 'job' : 'jobs'}`];
  if (op.skipped > 0) parts.push(`${op.skipped.toLocaleString()} skipped (they had changed state meanwhile)`);
  if (op.failed > 0) parts.push(`${op.failed.toLocaleString()} failed${op.firstError ? `: ${op.firstError}` : ''}`);
  const end =
    op.state === 'stopped'
      ? `Stopped after ${handledOf(op).toLocaleString()} of ${op.total.toLocaleString()}.`
      : op.state === 'failed'
        ? `It ended early, after ${handledOf(op).toLocaleString()} of ${op.total.toLocaleString()}.`
        : 'Done.';
  return `${parts.join('; ')}. ${end}`;
}

/**
 * A bulk operation's progress bar and counts while it runs (with Stop), its summary once it ended.
 * Used in the dialog and in the banner above the list.
 */
export function BulkProgress({ op, onStop }: { op: BulkOperation; onStop: () => void }) {
  const handled = handledOf(op);
  const label = `${VERBS[op.action][0]} jobs`;
  if (!isActiveOp(op))
    return (
      <p className="bulk-summary" role="status" data-testid="bulk-summary" data-state={op.state}>
        {summaryOf(op)}
      </p>
    );
  return (
    <div className="bulk-progress" data-testid="bulk-progress" data-state={op.state}>
      <progress aria-label={label} max={Math.max(op.total, 1)} value={handled} />
      <span className="bulk-counts">
        {label}: {handled.toLocaleString()} of {op.total.toLocaleString()}
        {op.skipped > 0 && ` · ${op.skipped.toLocaleString()} skipped`}
        {op.failed > 0 && ` · ${op.failed.toLocaleString()} failed`}
      </span>
      <button type="button" className="secondary" disabled={op.state === 'stopping'} onClick={onStop}>
        {op.state === 'stopping' ? 'Stopping…' : 'Stop'}
      </button>
    </div>
  );
}
