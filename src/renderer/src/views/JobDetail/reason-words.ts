import { LEASE_EXPIRED_PREFIX, REASONS } from '../../../../shared/job-reasons';
import type { Attempt, JobDetail, Task } from '../../../../shared/types';

/**
 * Why a job did not run, or did not finish, in words a user understands: the engine's reasons
 * (src/shared/job-reasons.ts, the job's `error`) and its attempts' outcomes, read together with
 * the task's policies. Pure, so each wording is tested on its own.
 */
export interface ReasonText {
  /** `skipped`, `missed`, `cancelled`, `interrupted`, `queued`, `late`, `failed`: the page's icon and colour. */
  kind: 'skipped' | 'missed' | 'cancelled' | 'interrupted' | 'queued' | 'late' | 'failed';
  title: string;
  detail: string;
}

/** How late a first start must be before the page says so: less is ordinary dispatch. */
const LATE_MS = 60_000;

function catchUpDecision(task: Task | null): string {
  switch (task?.catchUp) {
    case 'skip':
      return "The task's catch-up policy is skip: a missed occurrence is recorded as skipped, and the schedule goes on from the next one.";
    case 'once':
      return "The task's catch-up policy is once: one run made up for all the occurrences missed together, and the others, like this one, were recorded as skipped.";
    case 'all':
      return "The task's catch-up policy is all: missed occurrences run late, oldest first, up to a limit; this one was beyond it and was recorded as skipped.";
    default:
      return 'It was recorded as skipped.';
  }
}

function overlapText(error: string): ReasonText | null {
  if (error === REASONS.overlap || error === REASONS.overlapFull) {
    return {
      kind: 'skipped',
      title: 'Skipped: the previous run was still going',
      detail:
        error === REASONS.overlapFull
          ? "When this occurrence came due, the task's previous run was still running and another run was already queued behind it, so this one was not run."
          : "When this occurrence came due, the task's previous run was still running. The task's overlap policy is skip, so this occurrence was recorded as skipped instead of running beside it.",
    };
  }
  if (error === REASONS.overlapQueued) {
    return {
      kind: 'skipped',
      title: 'Skipped: earlier runs were still queued',
      detail:
        'Runs of this task were already waiting for the previous one to finish, so this occurrence was not added behind them.',
    };
  }
  return null;
}

function cancelText(error: string): ReasonText | null {
  const texts: Record<string, [string, string]> = {
    [REASONS.paused]: [
      'Cancelled: the task is paused',
      'The task was paused when this occurrence came due, so it was not run. Resume the task to run its next occurrences.',
    ],
    [REASONS.pausing]: [
      'Cancelled: the task was paused',
      'This run was waiting when its task was paused; pausing cancels the runs that have not started.',
    ],
    [REASONS.deleted]: [
      'Cancelled: the task was deleted',
      'This run had not started when its task was deleted; deleting a task cancels its pending runs.',
    ],
    [REASONS.replaced]: [
      'Replaced: the task was changed',
      'The task was edited before this run started; the run was replaced by one made from the new definition.',
    ],
    [REASONS.cancelledByUser]: ['Cancelled before it started', 'A user cancelled this run while it waited.'],
    [REASONS.stopCancel]: ['Cancelled while it ran', 'A user cancelled this run; its process group was ended.'],
  };
  const text = Object.hasOwn(texts, error) ? texts[error] : undefined;
  return text ? { kind: 'cancelled', title: text[0], detail: text[1] } : null;
}

function nodeLabel(nodeId: string, names: Record<string, string>): string {
  const name = Object.hasOwn(names, nodeId) ? names[nodeId] : undefined;
  return name && name !== nodeId ? `${name} (${nodeId})` : nodeId;
}

/** Why attempt `a` was interrupted, and what happened next (the following attempt, if any). */
function interruptedText(a: Attempt, next: Attempt | undefined, names: Record<string, string>): ReasonText {
  const node = nodeLabel(a.nodeId, names);
  const error = a.error ?? '';
  let why: string;
  if (error === REASONS.orphaned) {
    why = `Node ${node} stopped while attempt ${a.attempt} ran (a crash, a kill or a power loss); it found the run unfinished when it started again.`;
  } else if (error.startsWith(LEASE_EXPIRED_PREFIX)) {
    why = `Node ${node} stopped renewing its lease while attempt ${a.attempt} ran (it crashed, slept or lost its connection), so another node took the run back.`;
  } else if (error === REASONS.stopShutdown) {
    why = `Node ${node} shut down while attempt ${a.attempt} ran and could not wait for it to finish.`;
  } else if (error === REASONS.stopFenced) {
    why = `Node ${node} lost MySQL while other nodes still reached it, and ended attempt ${a.attempt} so that a retry elsewhere never runs beside it.`;
  } else {
    why = `Attempt ${a.attempt} on node ${node} was interrupted${error ? `: ${error}` : ''}.`;
  }
  const then =
    next === undefined
      ? ''
      : next.nodeId === a.nodeId
        ? ` It was retried as attempt ${next.attempt} on the same node.`
        : ` It was retried elsewhere, as attempt ${next.attempt} on node ${nodeLabel(next.nodeId, names)}.`;
  return {
    kind: 'interrupted',
    title: next && next.nodeId !== a.nodeId ? 'Interrupted, then retried on another node' : 'Interrupted',
    detail: why + then,
  };
}

/**
 * Every reason the page should state for this job, most important first: why it did not run or
 * was cancelled (its `error`), then each interrupted attempt, then a late start.
 */
export function jobReasons(job: JobDetail, task: Task | null, names: Record<string, string> = {}): ReasonText[] {
  const out: ReasonText[] = [];
  const error = job.error ?? '';
  const own = overlapText(error) ?? cancelText(error);
  if (own) out.push(own);
  else if (error === REASONS.missed) {
    out.push({
      kind: 'missed',
      title: 'Missed: not started in time',
      detail: `This occurrence was due at ${new Date(job.scheduledFor).toLocaleString()}, while no node could start it (the node was down, asleep or disconnected). ${catchUpDecision(task)}`,
    });
  } else if (error === REASONS.missedPaused) {
    out.push({
      kind: 'missed',
      title: 'Missed while the task was paused',
      detail: `This occurrence came due while the task was paused. When it was resumed, catch-up recorded it as skipped rather than running it late.`,
    });
  } else if (error === REASONS.queued && job.status === 'waiting') {
    out.push({
      kind: 'queued',
      title: 'Waiting for the previous run to finish',
      detail: "The task's overlap policy is queue: this run starts as soon as the run ahead of it ends.",
    });
  } else if (error.startsWith(REASONS.resultRefused)) {
    out.push({
      kind: 'failed',
      title: 'Failed: the result could not be recorded',
      detail: `MySQL refused the attempt's result itself (not an outage), so the job was ended as failed rather than left running. ${error}`,
    });
  }
  job.attempts.forEach((a, i) => {
    if (a.outcome === 'interrupted') out.push(interruptedText(a, job.attempts[i + 1], names));
  });
  const first = job.attempts[0];
  if (first && job.error === null && Date.parse(first.startedAt) - Date.parse(job.scheduledFor) > LATE_MS) {
    out.push({
      kind: 'late',
      title: 'Started late',
      detail: `It started ${formatGap(Date.parse(first.startedAt) - Date.parse(job.scheduledFor))} after it was due: no worker was free, or no node was up, until then${task && task.catchUp !== 'skip' ? ` (a catch-up run: the task's catch-up policy is ${task.catchUp})` : ''}.`,
    });
  }
  return out;
}

function formatGap(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  return m < 120 ? `${m} min` : `${Math.round(m / 60)} h`;
}
