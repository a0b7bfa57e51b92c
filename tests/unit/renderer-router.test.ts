// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { takeToken } from '../../src/renderer/src/api-client';
import { startRouter } from '../../src/renderer/src/app/routing/router';
import { HOME } from '../../src/renderer/src/app/routing/routes';
import { resetStore, useTickrStore } from '../../src/renderer/src/app/store';
import { LOG_PAGE_LIMIT } from '../../src/renderer/src/views/JobDetail/log/slice';
import { installFakeApi, logEntry } from './renderer-fixtures';

/** The hash router (app/routing/router.ts) in a browser-like window: the address bar is the route. */

const state = () => useTickrStore.getState();
let stopRouter: (() => void) | null = null;

/** As if the page had been opened (or reloaded) at `hash`. */
function openAt(hash: string): void {
  history.replaceState(null, '', `/${hash}`);
}

function start(): void {
  stopRouter = startRouter(window);
}

function stop(): void {
  stopRouter?.();
  stopRouter = null;
}

function nextHashChange(): Promise<void> {
  return new Promise((resolve) => window.addEventListener('hashchange', () => resolve(), { once: true }));
}

const fakeLogs = () => vi.fn(async () => ({ items: [logEntry(1, 'hello')], nextSeq: 2 }));

beforeEach(() => {
  resetStore();
  openAt('');
});

afterEach(() => {
  stop();
  sessionStorage.clear();
});

describe('the hash router', () => {
  it('starts on the dashboard when the fragment is empty, and leaves the address bar empty', () => {
    start();

    expect(state().route).toEqual(HOME);
    expect(location.hash).toBe('');
  });

  it.each([
    ['#/tasks', { view: 'tasks', id: null }],
    ['#/queues', { view: 'queues', id: null }],
    ['#/events', { view: 'events', id: null }],
    ['#/settings', { view: 'settings', id: null }],
    ['#/tasks/4', { view: 'tasks', id: '4' }],
  ])('opened (or reloaded) at %s, shows that route', (hash, route) => {
    openAt(hash);

    start();

    expect(state().route).toEqual(route);
    expect(location.hash).toBe(hash);
  });

  it('keeps the route across a reload: the store starts afresh, the address bar does not', () => {
    installFakeApi({ 'jobs.logs': fakeLogs() });
    start();
    state().navigate({ view: 'jobs', id: '12' });
    stop();

    resetStore();
    start();

    expect(state().route).toEqual({ view: 'jobs', id: '12' });
    expect(state().selectedJobId).toBe('12');
  });

  it('follows the address bar as it changes (a link, back and forward, typing)', async () => {
    start();

    const changed = nextHashChange();
    location.hash = '#/events';
    await changed;

    expect(state().route).toEqual({ view: 'events', id: null });
  });

  it('falls back to the dashboard for an unknown route, with #/dashboard in the address bar', async () => {
    openAt('#/nowhere');
    start();
    expect(state().route).toEqual(HOME);
    expect(location.hash).toBe('#/dashboard');

    state().navigate({ view: 'tasks', id: null });
    const changed = nextHashChange();
    location.hash = '#/jobs/not%20an%20id';
    await changed;
    expect(state().route).toEqual(HOME);
    expect(location.hash).toBe('#/dashboard');
  });

  it('navigate() shows the route at once and records it: a new history entry, or in place with replace', () => {
    start();
    const entries = history.length;

    state().navigate({ view: 'jobs', id: null });
    expect(state().route).toEqual({ view: 'jobs', id: null });
    expect(location.hash).toBe('#/jobs');
    expect(history.length).toBe(entries + 1);

    installFakeApi({ 'jobs.logs': fakeLogs() });
    state().navigate({ view: 'jobs', id: '3' }, { replace: true });
    expect(location.hash).toBe('#/jobs/3');
    expect(history.length).toBe(entries + 1);
  });

  it('#/jobs/<id> opens that job and loads its log; #/jobs lets the log go and keeps the row marked', async () => {
    const logs = fakeLogs();
    installFakeApi({ 'jobs.logs': logs });
    openAt('#/jobs/7');

    start();

    expect(state().selectedJobId).toBe('7');
    expect(state().logJobId).toBe('7');
    expect(logs).toHaveBeenCalledWith({ id: '7', limit: LOG_PAGE_LIMIT });
    await vi.waitFor(() => expect(state().log.map((e) => e.text)).toEqual(['hello']));

    state().navigate({ view: 'jobs', id: null });
    expect(state().logJobId).toBeNull();
    expect(state().selectedJobId).toBe('7');
    expect(state().log).toEqual([]);
  });

  it('keeps the selected job while another view shows, and loads nothing without a usable token', () => {
    const logs = fakeLogs();
    installFakeApi({ 'jobs.logs': logs });
    openAt('#/jobs/7');
    start();
    state().navigate({ view: 'dashboard', id: null });
    expect(state().selectedJobId).toBe('7');
    stop();

    resetStore();
    logs.mockClear();
    openAt('#/jobs/7');
    useTickrStore.setState({ auth: 'missing' });
    start();
    expect(state().route).toEqual({ view: 'jobs', id: '7' });
    expect(logs).not.toHaveBeenCalled();
  });

  it('leaves #token= to api-client, then reads the fragment the user keeps', () => {
    // What `tickr serve` prints: a token in the fragment, no route.
    openAt('#token=the-token');
    // Even started first, the router would not erase a token that was not taken yet.
    start();
    expect(location.hash).toBe('#token=the-token');
    stop();

    // main.tsx's order: the token first, then the router.
    expect(takeToken()).toBe('the-token');
    start();
    expect(location.hash).toBe('');
    expect(state().route).toEqual(HOME);
    expect(sessionStorage.getItem('tickr.token')).toBe('the-token');
  });

  it('names the page after its view, and a job after its id', () => {
    installFakeApi({ 'jobs.logs': fakeLogs() });
    start();
    expect(document.title).toBe('Dashboard · Tickr');

    state().navigate({ view: 'jobs', id: '5' });
    expect(document.title).toBe('Job 5 · Tickr');
  });
});
