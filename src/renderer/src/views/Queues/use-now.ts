import { useEffect, useState } from 'react';

/**
 * The time now, again every `everyMs`: what countdowns and elapsed times count from. A clock for
 * the page's own display; nothing is fetched on it (the lanes change only through events).
 */
export function useNow(everyMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
