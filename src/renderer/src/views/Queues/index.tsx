import { useEffect } from 'react';
import { useTickrStore } from '../../app/store';
import { PinnedQueues } from './components/PinnedQueues';
import { Lane } from './components/Lane';
import { ReadyList } from './components/ReadyLane';
import { NodeRunning } from './components/RunningLane';
import { WaitingList } from './components/WaitingLane';
import { readyEtas, workersOf } from './estimate';
import { useNow } from '../../app/use-now';
import './queues.css';

/** The most rows a lane renders; the rest of its count is "+N more" (the snapshot holds 100 a list). */
export const LANE_LIMIT = 100;

/**
 * Three live lanes — waiting, ready, running by node — and the pinned queues of each node. The
 * snapshot is read when the view opens and again on every queue.changed or job.updated event
 * (app/events.ts), never on a timer; only the countdowns tick here, from the clock.
 */
export function QueuesView() {
  const refreshQueues = useTickrStore((s) => s.refreshQueues);
  const queues = useTickrStore((s) => s.queues);
  const error = useTickrStore((s) => s.queuesError);
  const durations = useTickrStore((s) => s.durations);
  const now = useNow();

  useEffect(() => {
    void refreshQueues();
  }, [refreshQueues]);

  if (queues === null)
    return error === null ? (
      <p className="panel placeholder">Reading the queues…</p>
    ) : (
      <p className="panel error" role="alert">
        {error}
      </p>
    );

  const waiting = queues.waiting.next.slice(0, LANE_LIMIT);
  const ready = queues.ready.entries.slice(0, LANE_LIMIT);
  const workers = workersOf(queues.nodes, durations, now);
  const free = Math.max(0, workers.slots - workers.busyForMs.length);
  const etas = readyEtas(
    ready.map((e) => e.taskId),
    workers,
    durations,
  );
  const runningNodes = queues.nodes.filter((n) => n.running.count > 0 || n.alive);
  const runningCount = queues.nodes.reduce((sum, n) => sum + n.running.count, 0);
  const pinnedCount = queues.nodes.reduce((sum, n) => sum + n.pinned.waiting.count + n.pinned.ready.count, 0);
  const nothingQueued = queues.waiting.count + queues.ready.count + runningCount + pinnedCount === 0;

  return (
    <>
      {error !== null && (
        <p className="error" role="alert">
          Showing the queues as they were: {error}
        </p>
      )}
      <p className="hint queues-hint">
        Live: jobs move from waiting (due later) to ready (due, queued for a worker) to running. Times ahead are
        estimates from each task’s median run over its last 100 jobs.
        {nothingQueued && (
          <>
            {' '}
            Nothing is queued now: create a task on <a href="#/tasks">Tasks</a> and its jobs pass through here.
          </>
        )}
      </p>
      <div className="queue-lanes">
        <Lane
          id="waiting"
          title="Waiting"
          count={queues.waiting.count}
          shown={waiting.length}
          empty="Nothing waiting. Jobs due later wait here: a schedule’s next run, or a retry’s back-off."
          note="By due time"
        >
          <WaitingList entries={waiting} now={now} label="Waiting jobs by due time" />
        </Lane>
        <Lane
          id="ready"
          title="Ready"
          count={queues.ready.count}
          shown={ready.length}
          empty="Nothing ready. Due jobs queue here until a worker is free."
          note={
            `In queue order · ${free} of ${workers.slots} ${workers.slots === 1 ? 'worker' : 'workers'} free` +
            (ready.length > 0 && etas.some((eta) => eta === null) ? ' · start times once a job has finished' : '')
          }
        >
          <ReadyList entries={ready} etas={etas} label="Ready jobs in queue order" />
        </Lane>
        <Lane
          id="running"
          title="Running"
          count={runningCount}
          shown={runningCount}
          empty={`No job running; ${workers.slots} ${workers.slots === 1 ? 'worker is' : 'workers are'} idle.`}
          note="By node"
        >
          {runningCount > 0 &&
            runningNodes.map((n) => <NodeRunning key={n.nodeId} node={n} durations={durations} now={now} />)}
        </Lane>
      </div>
      <PinnedQueues nodes={queues.nodes} now={now} />
    </>
  );
}
