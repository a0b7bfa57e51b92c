import { useTickrStore, type Store } from '../store';
import { readHash, sameRoute, VIEW_TITLES, type Route } from './routes';

/** Sets the route slice from the address bar, putting the canonical fragment there when it differs. */
function followAddressBar(win: Window): void {
  const { route, replaceWith } = readHash(win.location.hash);
  if (replaceWith !== null) win.history.replaceState(win.history.state, '', replaceWith);
  if (!sameRoute(route, useTickrStore.getState().route)) useTickrStore.setState({ route });
}

/**
 * `#/jobs/<id>` opens that job's page and loads its log; leaving it lets the log go. The job is
 * part of the URL, so a link or a reload shows the same job. Nothing is loaded without a usable token.
 */
function followJobPage(state: Store): void {
  const { route, logJobId, auth } = state;
  if (auth !== 'ok') return;
  const jobId = route.view === 'jobs' ? route.id : null;
  if (jobId === logJobId) return;
  if (jobId === null) {
    state.closeLog();
    return;
  }
  state.selectJob(jobId);
  void state.openLog(jobId);
}

function titleFor(route: Route): string {
  if (route.view === 'jobs' && route.id !== null) return `Job ${route.id} · Tickr`;
  if (route.view === 'tasks' && route.id !== null)
    return route.id === 'new' ? 'New task · Tickr' : `Task ${route.id} · Tickr`;
  return `${VIEW_TITLES[route.view]} · Tickr`;
}

/**
 * The hash router: reads the fragment now and on every hashchange (links, back and forward,
 * typing in the address bar). In a browser, start it after api-client has taken `#token=…`
 * (main.tsx does), so the route is read from the address as the user will keep it.
 */
export function startRouter(win: Window = window): () => void {
  const onHashChange = (): void => followAddressBar(win);
  const apply = (state: Store): void => {
    followJobPage(state);
    win.document.title = titleFor(state.route);
  };
  followAddressBar(win);
  apply(useTickrStore.getState());
  win.addEventListener('hashchange', onHashChange);
  const unsubscribe = useTickrStore.subscribe((state, previous) => {
    if (state.route !== previous.route) apply(state);
  });
  return () => {
    win.removeEventListener('hashchange', onHashChange);
    unsubscribe();
  };
}
