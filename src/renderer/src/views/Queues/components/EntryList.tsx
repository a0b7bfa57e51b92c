import { useRef, type ReactNode } from 'react';
import { useFlip } from '../use-flip';

/** A lane's ordered list of jobs, whose rows glide to their new places as the queue moves. */
export function EntryList({ label, children }: { label: string; children: ReactNode }) {
  const ref = useRef<HTMLOListElement>(null);
  useFlip(ref);
  return (
    <ol className="lane-list" ref={ref} aria-label={label}>
      {children}
    </ol>
  );
}
