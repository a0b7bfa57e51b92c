import type { JobFilter } from '../../../../../shared/schemas';
import { useTickrStore } from '../../../app/store';
import { isActiveOp } from '../bulk-slice';
import { cancelChoice, retryChoice, type BulkChoice } from '../bulk-scope';
import { BulkProgress } from './BulkProgress';

function ChoiceButton({ choice, busy }: { choice: BulkChoice; busy: boolean }) {
  const openBulk = useTickrStore((s) => s.openBulk);
  const reason = busy ? 'A bulk action is running: stop it or let it finish first.' : choice.disabledReason;
  return (
    <button
      type="button"
      className="secondary"
      disabled={reason !== null}
      title={reason ?? `Every job the filter matches, after a dry run that counts them`}
      onClick={() => void openBulk(choice.action, choice.filter)}
    >
      {choice.label}…
    </button>
  );
}

/**
 * The bulk actions on the current filter, and the operation running on the node (started here,
 * in another window, or before a reload), with its progress and Stop, while the dialog is closed.
 */
export function BulkBar({ filter }: { filter: JobFilter }) {
  const op = useTickrStore((s) => s.bulkOp);
  const dialogOpen = useTickrStore((s) => s.bulkRequest !== null);
  const stopBulk = useTickrStore((s) => s.stopBulk);
  const busy = isActiveOp(op);
  return (
    <div className="bulk-bar" role="group" aria-label="Bulk actions">
      <ChoiceButton choice={retryChoice(filter)} busy={busy} />
      <ChoiceButton choice={cancelChoice(filter)} busy={busy} />
      {op !== null && !dialogOpen && busy && <BulkProgress op={op} onStop={() => void stopBulk()} />}
    </div>
  );
}
