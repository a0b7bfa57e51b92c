/**
 * Wraps an async task so that calls arriving while it runs do not each start it again: they are
 * merged into one more run after the current one, and get the promise that covers that run.
 * A burst of N calls costs two runs at most. `fn` should not reject: a rejection ends the runs,
 * and a merged call would be dropped with it. `keepGoing` can stop the extra run (a node that is
 * stopping, say).
 */
export function coalesced(fn: () => Promise<void>, keepGoing: () => boolean = () => true): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await fn();
        } while (again && keepGoing());
      } finally {
        running = null;
      }
    })();
    return running;
  };
}
