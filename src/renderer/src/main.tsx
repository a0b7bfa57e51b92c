import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApi, tokenMissing } from './api-client';
import { App } from './app/App';
import { setApiSource } from './app/api-source';
import { connectEvents } from './app/events';
import { useTickrStore } from './app/store';
import './styles.css';

setApiSource(getApi);

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
}

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
