import { DashboardView } from '../views/Dashboard';
import { JobsView } from '../views/Jobs';
import { TasksView } from '../views/Tasks';
import { AuthNotice } from './AuthNotice';
import { useTickrStore } from './store';

/**
 * The frame. Until there are routes, every view shows at once, in the places the page had before
 * the views existed: the Dashboard's health in the header, Tasks and Jobs in the main area.
 */
export function App() {
  const auth = useTickrStore((s) => s.auth);
  const authorized = auth === 'ok';
  return (
    <div className="app">
      <header className="app-header">
        <h1>Tickr</h1>
        {authorized && <DashboardView />}
      </header>
      <main className="app-main">
        {authorized ? (
          <>
            <TasksView />
            <JobsView />
          </>
        ) : (
          <AuthNotice reason={auth} />
        )}
      </main>
    </div>
  );
}
