import { powerMonitor } from 'electron';

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
  let running: Promise<void> | null = null;
  let again = false;

  const run = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = options
      .reevaluate()
      .catch((err: unknown) => options.onError?.(err))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          run();
        }
      });
  };

  powerMonitor.on('resume', run);
  return () => {
    powerMonitor.removeListener('resume', run);
  };
}
