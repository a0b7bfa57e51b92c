import { DashboardView } from '../../views/Dashboard';
import { DiagnosticsView } from '../../views/Diagnostics';
import { EventsView } from '../../views/Events';
import { JobDetailView } from '../../views/JobDetail';
import { JobsView } from '../../views/Jobs';
import { QueuesView } from '../../views/Queues';
import { TasksView } from '../../views/Tasks';
import { VIEW_TITLE_ID } from '../focus';
import { VIEW_TITLES, type ViewName } from '../routing/routes';
import { useTickrStore } from '../store';

/** What the views still to be built will show, said in one line where they will be. */
const PLACEHOLDERS = {
  settings:
    'Connections to Redis and MySQL (with TLS), concurrency, retention and notifications will be set here, applied without a restart.',
} satisfies Partial<Record<ViewName, string>>;

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
    case 'events':
      return <EventsView />;
    case 'diagnostics':
      return <DiagnosticsView />;
    default:
      return <p className="panel placeholder">{PLACEHOLDERS[view]}</p>;
  }
}

/** The routed view under its title; the title takes focus after a jump from the palette. */
export function CurrentView() {
  const view = useTickrStore((s) => s.route.view);
  const id = useTickrStore((s) => s.route.id);
  return (
    <>
      <h2 id={VIEW_TITLE_ID} className="view-title" tabIndex={-1}>
        {VIEW_TITLES[view]}
      </h2>
      <ViewBody view={view} id={view === 'jobs' ? id : null} />
    </>
  );
}
