import { AuthNotice } from './components/AuthNotice';
import { HealthPanel } from './components/HealthPanel';
import { JobList } from './components/JobList';
import { JobLog } from './components/JobLog';
import { TaskForm } from './components/TaskForm';
import { useTickrStore } from './store';

/** A minimal page for now; the real UI comes later. */
export function App() {
  const auth = useTickrStore((s) => s.auth);
  if (auth !== 'ok') {
    return (
      <div className="app">
        <header className="app-header">
          <h1>Tickr</h1>
        </header>
        <main className="app-main">
          <AuthNotice reason={auth} />
        </main>
      </div>
    );
  }
  return (
    <div className="app">
      <header className="app-header">
        <h1>Tickr</h1>
        <HealthPanel />
      </header>
      <main className="app-main">
        <section className="panel">
          <h2>New shell task</h2>
          <TaskForm />
        </section>
        <section className="panel">
          <h2>Recent jobs</h2>
          <JobList />
        </section>
        <section className="panel">
          <h2>Log</h2>
          <JobLog />
        </section>
      </main>
    </div>
  );
}
