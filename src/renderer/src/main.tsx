import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApi } from './api-client';
import { App } from './App';
import { connectEvents } from './events';
import { loadHealth, loadJobs } from './store';
import './styles.css';

// Subscribed before the first load, so an update racing the initial fetch is not missed.
connectEvents(getApi());
void loadHealth();
void loadJobs();

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
