import { Notification } from 'electron';
import type { EventMessage } from '../../shared/contract';
import type { Job } from '../../shared/types';
import type { ApiHandler } from '../api/types';

/**
 * A native notification when a job fails for good. A failed attempt with attempts left goes
 * back to `waiting`, so `status: 'failed'` in a job.updated event is the final verdict.
 */

export interface FailureNotifierOptions {
  api: Pick<ApiHandler, 'subscribe'>;
  /** Called when the user clicks a notification (the shell shows its window). */
  onClick?(job: Job): void;
  /** False while the user has turned failure notifications off in Settings. */
  enabled?(): boolean;
}

/** How many failed job ids are remembered, so a repeated event does not notify twice. */
const REMEMBERED_FAILURES = 200;
/** Notification centres cut long bodies anyway; the full error is in the job's log. */
const MAX_ERROR_CHARS = 200;

function shorten(text: string): string {
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 1)}…` : text;
}

export function notifyJobFailures(options: FailureNotifierOptions): () => void {
  const notified = new Set<string>();

  return options.api.subscribe((message: EventMessage) => {
    if (message.event !== 'job.updated') return;
    const job = (message as EventMessage<'job.updated'>).data;
    if (job.status !== 'failed' || notified.has(job.id)) return;
    if (options.enabled?.() === false) return;
    if (!Notification.isSupported()) return;

    notified.add(job.id);
    if (notified.size > REMEMBERED_FAILURES) {
      // A Set iterates in insertion order: drop the oldest id.
      const oldest = notified.values().next().value;
      if (oldest !== undefined) notified.delete(oldest);
    }

    const attempts = job.maxAttempts > 1 ? ` after ${job.attempt} of ${job.maxAttempts} attempts` : '';
    const notification = new Notification({
      title: `Job ${job.id} failed`,
      body: `Task ${job.taskId}${attempts}${job.error !== null ? `: ${shorten(job.error)}` : ''}`,
    });
    notification.on('click', () => options.onClick?.(job));
    notification.show();
  });
}
