import type { ApiHandler } from '../api/types';
import { callApi } from './api-call';
import type { QuitChoice } from './quit-drain';

/**
 * The question a quit asks when jobs are running: wait for them (the drain lets them finish,
 * up to the drain timeout), or stop them now. No electron import: the shell passes
 * dialog.showMessageBox.
 */

export interface MessageBox {
  (options: {
    type: 'question';
    title: string;
    message: string;
    detail: string;
    buttons: string[];
    defaultId: number;
    cancelId: number;
    noLink: boolean;
  }): Promise<{ response: number }>;
}

export interface QuitQuestionOptions {
  running(): number;
  showMessageBox: MessageBox;
  drainTimeoutMs(): number;
}

/** Quits without asking when nothing runs. */
export async function askHowToQuit(options: QuitQuestionOptions): Promise<QuitChoice> {
  const n = options.running();
  if (n === 0) return 'wait';
  const jobs = n === 1 ? '1 job' : `${n} jobs`;
  const seconds = Math.round(options.drainTimeoutMs() / 1000);
  const { response } = await options.showMessageBox({
    type: 'question',
    title: 'Quit Tickr',
    message: `${jobs} ${n === 1 ? 'is' : 'are'} running`,
    detail:
      `Waiting lets ${n === 1 ? 'it' : 'them'} finish (at most ${seconds} s, then ${n === 1 ? 'it is' : 'they are'} ended and retried later), then Tickr quits. ` +
      `Stopping cancels ${n === 1 ? 'it' : 'them'} now: recorded as cancelled, not retried.`,
    buttons: [`Wait for ${jobs}`, n === 1 ? 'Stop it' : 'Stop them', 'Cancel'],
    defaultId: 0,
    cancelId: 2,
    noLink: true,
  });
  return response === 0 ? 'wait' : response === 1 ? 'stop' : 'cancel';
}

/** "Stop them": cancels this node's running jobs through the contract, as the Jobs view does. */
export async function cancelRunningJobs(api: Pick<ApiHandler, 'call'>, nodeId: string): Promise<string[]> {
  const running = await callApi(api, 'jobs.list', { status: 'running', nodeId, limit: 1000 });
  const cancelled: string[] = [];
  for (const job of running.items) {
    try {
      await callApi(api, 'jobs.cancel', { id: job.id });
      cancelled.push(job.id);
    } catch (err) {
      // Ended on its own meanwhile: the drain handles whatever is left.
      console.error(`[tickr] job ${job.id} not cancelled at quit:`, err);
    }
  }
  return cancelled;
}
