import { DashboardView } from '../../views/Dashboard';
import { DiagnosticsView } from '../../views/Diagnostics';
import { EventsView } from '../../views/Events';
import { JobDetailView } from '../../views/JobDetail';
import { JobsView } from '../../views/Jobs';
import { QueuesView } from '../../views/Queues';
import { SettingsView } from '../../views/Settings';
import { FirstRun, useFirstRun } from '../../views/Settings/FirstRun';
import { TasksView } from '../../views/Tasks';
import { VIEW_TITLE_ID } from '../focus';
import { VIEW_TITLES, type ViewName } from '../routing/routes';
import { useTickrStore } from '../store';

function ViewBody({ view, id }: { view: ViewName; id: string | null }) {
  switch (view) {
    case 'dashboard':
      return <DashboardView />;
    case 'tasks':
      return <TasksView />;
    case 'jobs':
      return id === null ? <JobsView /> : <JobDetailView key={id} jobId={id} />;
    case 'queues':
      return <QueuesView />;
    case 'settings':
      return <SettingsView />;
    case 'events':
      return <EventsView />;
    case 'diagnostics':
      return <DiagnosticsView />;
  }
}

/** The routed view under its title; the title takes focus after a jump from the palette. */
export function CurrentView() {
  const view = useTickrStore((s) => s.route.view);
  const id = useTickrStore((s) => s.route.id);
  // A node that never reached MySQL opens on the connection screen, whatever the route.
  const firstRun = useFirstRun();
  if (firstRun)
    return (
      <>
        <h2 id={VIEW_TITLE_ID} className="view-title" tabIndex={-1}>
          Connect Tickr to Redis and MySQL
        </h2>
        <FirstRun />
      </>
    );
  return (
    <>
      <h2 id={VIEW_TITLE_ID} className="view-title" tabIndex={-1}>
        {VIEW_TITLES[view]}
      </h2>
      <ViewBody view={view} id={view === 'jobs' ? id : null} />
    </>
  );
}
