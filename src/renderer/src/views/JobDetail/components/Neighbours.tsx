import type { Job, JobNeighbours } from '../../../../../shared/types';
import { routeHash } from '../../../app/routing/routes';

function Link({ job, rel }: { job: Job; rel: 'prev' | 'next' }) {
  const when = new Date(job.scheduledFor).toLocaleString();
  return (
    <a href={routeHash({ view: 'jobs', id: job.id })} rel={rel} data-testid={`neighbour-${rel}`}>
      {rel === 'prev' ? '← ' : ''}
      {rel === 'prev' ? 'Previous' : 'Next'} occurrence: job {job.id}, {when} ({job.status}){rel === 'next' ? ' →' : ''}
    </a>
  );
}

/** The task's occurrences just before and after this one; nothing for a job no schedule made. */
export function Neighbours({ neighbours }: { neighbours: JobNeighbours | null }) {
  if (neighbours === null || (neighbours.previous === null && neighbours.next === null)) return null;
  return (
    <nav className="neighbours" aria-label="Occurrences around this one">
      {neighbours.previous ? <Link job={neighbours.previous} rel="prev" /> : <span />}
      {neighbours.next ? <Link job={neighbours.next} rel="next" /> : <span />}
    </nav>
  );
}
