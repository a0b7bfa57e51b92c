import { powerMonitor } from 'electron';
import { coalesced } from '../../shared/coalesced';

/**
 * Re-evaluates schedules when the machine wakes from sleep. While it slept, so did the
 * scheduler's timers: occurrences came and went with nothing claiming them. On 'resume' the
 * engine applies each task's catch-up policy and wakes its scheduler (docs/scheduling.md).
 */

export interface ResumeWatchOptions {
  /** The engine's re-evaluation (Engine.reevaluateSchedules). */
  reevaluate(): Promise<void>;
  onError?(err: unknown): void;
}

/**
 * Subscribes to powerMonitor 'resume' (call after app 'ready'); returns the unsubscribe. A resume
 * that arrives while a re-evaluation runs is not lost: one more runs after it.
 */
export function reevaluateOnResume(options: ResumeWatchOptions): () => void {
  const run = coalesced(() => options.reevaluate().catch((err: unknown) => options.onError?.(err)));
  const onResume = (): void => void run();
  powerMonitor.on('resume', onResume);
  return () => {
    powerMonitor.removeListener('resume', onResume);
  };
}
