/**
 * Wraps a refresh so that at most one runs at a time: a call while one is in flight marks one
 * trailing run, which starts when the current one ends (and sees every change made meanwhile). A
 * burst of a hundred events costs two reads, and the last read is never older than the last event.
 * Each call's promise settles once the run covering it has.
 */
export function coalesce(run: () => Promise<void>): () => Promise<void> {
  let inFlight: Promise<void> | null = null;
  let again = false;
  return () => {
    if (inFlight !== null) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      try {
        do {
          again = false;
          await run();
        } while (again);
      } finally {
        inFlight = null;
      }
    })();
    return inFlight;
  };
}
