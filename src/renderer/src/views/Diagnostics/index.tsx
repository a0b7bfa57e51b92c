import { useEffect } from 'react';
import { useTickrStore } from '../../app/store';
import { useNow } from '../../app/use-now';
import { formatAt } from '../Events/components/TimelineItem';
import { FindingCard } from './components/FindingCard';
import './diagnostics.css';

const STOPPED_BY = {
  'id cap': 'it reached its cap of ids',
  'time budget': 'it ran out of its time budget',
  'verify cap': 'there were more suspects than it reads twice',
} as const;

/**
 * Is Redis telling the truth? diagnostics.check compares every Redis queue with MySQL, within
 * a cap of ids and a time budget; "repair now" runs the sweep or a rebuild and checks again.
 */
export function DiagnosticsView() {
  const report = useTickrStore((s) => s.diagnostics);
  const error = useTickrStore((s) => s.diagnosticsError);
  const checking = useTickrStore((s) => s.diagnosticsChecking);
  const repair = useTickrStore((s) => s.repair);
  const repairError = useTickrStore((s) => s.repairError);
  const repairing = useTickrStore((s) => s.repairing);
  const runDiagnostics = useTickrStore((s) => s.runDiagnostics);
  const runRepair = useTickrStore((s) => s.runRepair);
  // Only to say "today" or a date next to a time: a minute's precision is plenty.
  const now = useNow(60_000);

  useEffect(() => {
    void runDiagnostics();
  }, [runDiagnostics]);

  const busy = checking || repairing !== null;
  const needsRebuild = report !== null && report.findings.some((f) => f.count > 0 && f.kind !== 'unqueued');

  return (
    <>
      <p className="hint">
        MySQL holds the truth and Redis only ids. This compares the two: ids Redis holds for jobs that are not waiting,
        ready or running; due jobs no queue holds; ids held twice; and the generation marker and run_id.
      </p>
      <section className="panel diagnostics-summary" aria-label="Diagnostics summary">
        <div className="diagnostics-head">
          {report === null ? (
            <p className="placeholder">{error === null ? 'Comparing Redis with MySQL…' : 'No check yet.'}</p>
          ) : (
            <p className={`diagnostics-verdict ${report.clean ? 'status-up' : 'status-down'}`} role="status">
              <strong>{report.clean ? 'Clean' : 'Redis and MySQL disagree'}</strong>
              {report.partial && <span className="diagnostics-partial"> · partial</span>}
            </p>
          )}
          <button type="button" onClick={() => void runDiagnostics()} disabled={busy}>
            {checking ? 'Checking…' : 'Check again'}
          </button>
        </div>
        {error !== null && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {report !== null && (
          <p className="hint diagnostics-scope">
            Checked at <time dateTime={report.at}>{formatAt(report.at, now)}</time> in {report.tookMs} ms: examined{' '}
            {report.redis.examined.toLocaleString('en-US')} of {report.redis.total.toLocaleString('en-US')} ids in{' '}
            {report.redis.structures} Redis queues and {report.mysql.examined.toLocaleString('en-US')} of{' '}
            {report.mysql.total.toLocaleString('en-US')} due jobs in MySQL
            {report.partial && report.stoppedBy !== null ? `; partial, because ${STOPPED_BY[report.stoppedBy]}` : ''}.
            Generation {report.markers.redisGeneration ?? 'missing'} in Redis,{' '}
            {report.markers.mysqlGeneration ?? 'none'} in MySQL.
          </p>
        )}
      </section>
      {report !== null && (
        <div className="findings">
          {report.findings.map((f) => (
            <FindingCard key={f.kind} finding={f} />
          ))}
        </div>
      )}
      <section className="panel repair-panel" aria-label="Repair">
        <h3>Repair now</h3>
        <p className="hint">
          The sweep re-queues every waiting or ready job no queue holds. A rebuild puts every queue back from MySQL
          under the cluster-wide rebuild lock, which also drops stray and doubled ids
          {needsRebuild ? ' (what this check found needs it)' : ''}.
        </p>
        <div className="repair-actions">
          <button type="button" onClick={() => void runRepair('sweep')} disabled={busy}>
            {repairing === 'sweep' ? 'Sweeping…' : 'Run the sweep'}
          </button>
          <button type="button" onClick={() => void runRepair('rebuild')} disabled={busy}>
            {repairing === 'rebuild' ? 'Rebuilding…' : 'Rebuild from MySQL'}
          </button>
        </div>
        {repair !== null && (
          <p className="repair-result" role="status">
            {repair.action === 'sweep' ? 'Sweep' : 'Rebuild'} done at {formatAt(repair.at, now)}: {repair.message}.
          </p>
        )}
        {repairError !== null && (
          <p className="error" role="alert">
            {repairError}
          </p>
        )}
      </section>
    </>
  );
}
