import type { RecentRun } from '../../../../../shared/types';
import { STRIP_LENGTH } from '../task-list-model';

/** Bar height: the run's duration against the longest in the strip, never below a visible sliver. */
function heightOf(run: RecentRun, longest: number): number {
  if (run.durationMs === null || longest <= 0) return 25;
  return Math.max(15, Math.round((run.durationMs / longest) * 100));
}

function label(run: RecentRun): string {
  const took = run.durationMs === null ? '' : `, ${(run.durationMs / 1000).toFixed(run.durationMs < 10_000 ? 1 : 0)} s`;
  return `job ${run.id}: ${run.status}${took}`;
}

/** The last runs of a task, oldest left: colour by status, height by duration. */
export function RunStrip({ runs, taskName }: { runs: readonly RecentRun[] | undefined; taskName: string }) {
  const list = [...(runs ?? [])].reverse();
  const longest = Math.max(0, ...list.map((r) => r.durationMs ?? 0));
  const failed = list.filter((r) => r.status === 'failed').length;
  const summary =
    list.length === 0 ? `${taskName}: no runs yet` : `${taskName}: last ${list.length} runs, ${failed} failed`;
  return (
    <span className="run-strip" role="img" aria-label={summary} title={summary} data-testid="run-strip">
      {Array.from({ length: STRIP_LENGTH - list.length }, (_, i) => (
        <span key={`empty-${i}`} className="run-bar run-bar-empty" />
      ))}
      {list.map((run) => (
        <span
          key={run.id}
          className={`run-bar run-${run.status}`}
          style={{ height: `${heightOf(run, longest)}%` }}
          title={label(run)}
          data-status={run.status}
        />
      ))}
    </span>
  );
}
