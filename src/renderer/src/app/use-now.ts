import { useEffect, useState } from 'react';

/**
 * The local clock, read again every `everyMs`: countdowns, elapsed times and ages ("heartbeat 3 s
 * ago") move on screen from it. A clock for the page's own display, not a poll: nothing is asked
 * of the server on it (what is shown changes only through engine events). Shared by every view.
 */
export function useNow(everyMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
