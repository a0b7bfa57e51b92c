import { Notification } from 'electron';
import type { EventMessage } from '../../shared/contract';
import type { Job } from '../../shared/types';
import type { ApiHandler } from '../api/types';
import { callApi } from './api-call';

/**
 * A native notification when a job fails for good: the task's name, the exit code and the last
 * lines of its log. A failed attempt with attempts left goes back to `waiting`, so
 * `status: 'failed'` in a job.updated event is the final verdict.
 */

export interface FailureNotifierOptions {
  api: Pick<ApiHandler, 'subscribe' | 'call'>;
  /** A click on the notification (or its "Open log" action): the shell opens the job's page. */
  onOpen?(job: Job): void;
  /** Off in Settings: checked at each failure, so a change applies at once. */
  enabled?(): boolean;
  /** process.platform; action buttons exist on macOS only (elsewhere a click still opens the job). */
  platform?: NodeJS.Platform;
  onError?(err: unknown): void;
}

/** How many failed job ids are remembered, so a repeated event does not notify twice. */
const REMEMBERED_FAILURES = 200;
/** Notification centres cut long bodies anyway; the whole log is one click away. */
const LAST_LOG_LINES = 3;
const MAX_LINE_CHARS = 120;
/** Enough to reach the end of a typical attempt's log in one or two reads. */
const LOG_PAGE = 5000;
const MAX_LOG_PAGES = 4;

function shorten(text: string, max = MAX_LINE_CHARS): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

async function taskName(api: FailureNotifierOptions['api'], job: Job): Promise<string> {
  try {
    return (await callApi(api, 'tasks.get', { id: job.taskId })).name;
  } catch {
    return `Task ${job.taskId}`;
  }
}

/** The final attempt's last lines, read forward a page at a time (the log has no "tail" read). */
async function lastLines(api: FailureNotifierOptions['api'], job: Job): Promise<string[]> {
  let lines: string[] = [];
  let afterSeq = 0;
  try {
    for (let page = 0; page < MAX_LOG_PAGES; page++) {
      const read = await callApi(api, 'jobs.logs', { id: job.id, attempt: job.attempt, afterSeq, limit: LOG_PAGE });
      const texts = read.items.flatMap((e) => e.text.split('\n')).filter((t) => t.trim() !== '');
      lines = [...lines, ...texts].slice(-LAST_LOG_LINES);
      if (read.items.length < LOG_PAGE) break;
      afterSeq = read.nextSeq;
    }
  } catch {
    // No log to show (MySQL away): the notification still says what failed.
  }
  return lines;
}

/** Title and body, exported for the tests: "backup failed" / "Job 7 · exit code 2 · attempt 3 of 3". */
export function failureText(name: string, job: Job, lines: string[]): { title: string; body: string } {
  const facts = [`Job ${job.id}`];
  if (job.exitCode !== null) facts.push(`exit code ${job.exitCode}`);
  else if (job.error !== null) facts.push(shorten(job.error, 80));
  if (job.maxAttempts > 1) facts.push(`attempt ${job.attempt} of ${job.maxAttempts}`);
  return { title: `${name} failed`, body: [facts.join(' · '), ...lines.map((l) => shorten(l))].join('\n') };
}

export function notifyJobFailures(options: FailureNotifierOptions): () => void {
  const notified = new Set<string>();
  const platform = options.platform ?? process.platform;
  const onError = options.onError ?? ((err: unknown) => console.error('[tickr] failure notification:', err));

  async function show(job: Job): Promise<void> {
    const [name, lines] = await Promise.all([taskName(options.api, job), lastLines(options.api, job)]);
    const withActions = platform === 'darwin';
    const notification = new Notification({
      ...failureText(name, job, lines),
      ...(withActions
        ? {
            actions: [
              { type: 'button' as const, text: 'Retry' },
              { type: 'button' as const, text: 'Open log' },
            ],
          }
        : {}),
    });
    notification.on('click', () => options.onOpen?.(job));
    if (withActions) {
      notification.on('action', (_event, index) => {
        if (index === 0) callApi(options.api, 'jobs.retry', { id: job.id }).catch(onError);
        else options.onOpen?.(job);
      });
    }
    notification.show();
  }

  return options.api.subscribe((message: EventMessage) => {
    if (message.event !== 'job.updated') return;
    const job = (message as EventMessage<'job.updated'>).data;
    if (job.status !== 'failed' || notified.has(job.id)) return;
    if (!Notification.isSupported() || options.enabled?.() === false) return;

    notified.add(job.id);
    if (notified.size > REMEMBERED_FAILURES) {
      // A Set iterates in insertion order: drop the oldest id.
      const oldest = notified.values().next().value;
      if (oldest !== undefined) notified.delete(oldest);
    }
    show(job).catch(onError);
  });
}
