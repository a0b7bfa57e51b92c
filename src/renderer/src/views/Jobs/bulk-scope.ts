import type { BulkAction, JobFilter, JobStatus } from '../../../../shared/schemas';

/**
 * What the two bulk buttons of the history do to the current filter. The engine's action covers
 * several statuses (a retry: failed, cancelled, skipped; a cancel: waiting, ready, running), so the
 * dialog names one: with no status in the filter, "Retry failed" adds status failed and "Cancel
 * waiting" adds status waiting (ready jobs are due and leave in moments; filter by ready to cancel
 * those). A filter on a status the action cannot touch disables the button, saying why.
 */
export interface BulkChoice {
  action: BulkAction;
  /** The filter sent to jobs.bulkPreview / bulkStart: the view's, with the status made explicit. */
  filter: JobFilter;
  /** The button's text. */
  label: string;
  /** Why the button is disabled, or null. */
  disabledReason: string | null;
}

const RETRYABLE: readonly JobStatus[] = ['failed', 'cancelled', 'skipped'];
const CANCELLABLE: readonly JobStatus[] = ['waiting', 'ready', 'running'];

function choice(
  action: BulkAction,
  filter: JobFilter,
  eligible: readonly JobStatus[],
  fallback: JobStatus,
): BulkChoice {
  const verb = action === 'retry' ? 'Retry' : 'Cancel';
  const status = filter.status ?? fallback;
  if (!eligible.includes(status))
    return {
      action,
      filter,
      label: `${verb} ${fallback}`,
      disabledReason: `Only ${eligible.join(', ')} jobs can be ${action === 'retry' ? 'retried' : 'cancelled'}; the filter shows ${status} jobs.`,
    };
  return { action, filter: { ...filter, status }, label: `${verb} ${status}`, disabledReason: null };
}

export function retryChoice(filter: JobFilter): BulkChoice {
  return choice('retry', filter, RETRYABLE, 'failed');
}

export function cancelChoice(filter: JobFilter): BulkChoice {
  return choice('cancel', filter, CANCELLABLE, 'waiting');
}
