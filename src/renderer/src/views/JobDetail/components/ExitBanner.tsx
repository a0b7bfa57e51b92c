import type { JobDetail } from '../../../../../shared/types';
import { exitBanner } from '../outcome-words';

/** How the job ended, or where it stands: one line in the outcome's colour, and the reason under it. */
export function ExitBanner({ job }: { job: JobDetail }) {
  const banner = exitBanner(job);
  return (
    <div
      className={`exit-banner exit-${banner.tone}`}
      data-testid="exit-banner"
      data-kind={banner.kind}
      // A live region: a running job's end is announced as it arrives, title and reason.
      role="status"
    >
      <strong>{banner.title}</strong>
      {banner.detail !== null && <span className="exit-detail">{banner.detail}</span>}
    </div>
  );
}
