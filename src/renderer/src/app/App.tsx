import { AuthNotice } from './AuthNotice';
import { VIEW_TITLE_ID } from './focus';
import { CurrentView } from './frame/CurrentView';
import { Sidebar } from './frame/Sidebar';
import { TopBar } from './frame/TopBar';
import { CommandPalette } from './palette/CommandPalette';
import { useTickrStore } from './store';

/**
 * The frame: the sidebar of views, the top bar (palette button and health, always in view) and the
 * routed view. Without a usable token there is nothing to navigate: only the notice that says how
 * to get one.
 */
export function App() {
  const auth = useTickrStore((s) => s.auth);
  if (auth !== 'ok')
    return (
      <div className="app app-locked">
        <header className="locked-header">
          <h1 className="brand">Tickr</h1>
        </header>
        <main className="app-main">
          <AuthNotice reason={auth} />
        </main>
      </div>
    );
  return (
    <div className="app">
      <Sidebar />
      <div className="app-body">
        <TopBar />
        <main className="app-main" aria-labelledby={VIEW_TITLE_ID}>
          <CurrentView />
        </main>
      </div>
      <CommandPalette />
    </div>
  );
}
