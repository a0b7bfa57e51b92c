import { useEffect } from 'react';
import { useTickrStore } from '../../app/store';
import { GettingStarted } from '../Tasks/components/GettingStarted';
import { JobCountsCard } from './components/JobCountsCard';
import { MysqlCard } from './components/MysqlCard';
import { NodesCard } from './components/NodesCard';
import { RedisCard } from './components/RedisCard';
import { ThroughputChart } from './components/ThroughputChart';
import { UpcomingRuns } from './components/UpcomingRuns';

/**
 * Health and activity at a glance: Redis and MySQL, job counts, throughput, upcoming runs and the
 * nodes. Everything is read when the view opens, then follows engine events (live.ts).
 */
export function DashboardView() {
  const loadDashboard = useTickrStore((s) => s.loadDashboard);
  useEffect(() => {
    void loadDashboard();
  }, [loadDashboard]);
  return (
    <>
      <GettingStarted showError />
      <div className="dashboard-grid">
        <RedisCard />
        <MysqlCard />
        <JobCountsCard />
        <ThroughputChart />
        <UpcomingRuns />
        <NodesCard />
      </div>
    </>
  );
}
