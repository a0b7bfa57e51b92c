import { useEffect, useState } from 'react';

/** The local clock, read every `everyMs`: countdowns tick from it (nothing is asked of the server). */
export function useNow(everyMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
