import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApi, onReconnect, tokenMissing } from './api-client';
import { App } from './app/App';
import { setApiSource } from './app/api-source';
import { connectEvents } from './app/events';
import { startKeyboard } from './app/keyboard';
import { startRouter } from './app/routing/router';
import { useTickrStore } from './app/store';
import { startTheme } from './app/theme/theme-sync';
import './styles.css';

setApiSource(getApi);
startTheme();

// The token first: in a browser, tokenMissing() takes `#token=…` out of the address bar (api-client),
// so the router below reads the fragment the user keeps, not the token.
if (tokenMissing()) {
  // Every call would be refused: say so (App shows AuthNotice) instead of sending them.
  useTickrStore.setState({ auth: 'missing' });
} else {
  // Subscribed before the first load, so an update racing the initial fetch is not missed.
  const disconnect = connectEvents(getApi());
  // A refused token will not start working: stop the event stream's reconnect attempts.
  const unwatch = useTickrStore.subscribe((s) => {
    if (s.auth === 'ok') return;
    unwatch();
    disconnect();
  });
  const { loadHealth, loadJobs } = useTickrStore.getState();
  void loadHealth();
  void loadJobs();
  // Events sent while the stream was down are lost: re-read the health and the dashboard if shown.
  onReconnect(() => {
    const s = useTickrStore.getState();
    void s.loadHealth();
    if (s.route.view === 'dashboard') void s.loadDashboard();
  });
}
// After the events: `#/jobs/<id>` loads that job's log, whose later lines come as job.log events.
startRouter();
startKeyboard();

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
