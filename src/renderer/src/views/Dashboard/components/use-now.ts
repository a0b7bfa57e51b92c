import { useEffect, useState } from 'react';

/**
 * The current time, updated every `everyMs`: ages ("heartbeat 3 s ago") move on screen without
 * asking the server anything. A clock, not a poll.
 */
export function useNow(everyMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
