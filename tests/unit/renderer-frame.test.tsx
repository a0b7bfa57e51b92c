// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../src/renderer/src/app/App';
import { applyEvent } from '../../src/renderer/src/app/events';
import { startKeyboard } from '../../src/renderer/src/app/keyboard';
import { startRouter } from '../../src/renderer/src/app/routing/router';
import { resetStore, useTickrStore } from '../../src/renderer/src/app/store';
import type { Task } from '../../src/shared/types';
import { stubLayoutApis, stubScrollLayout } from './renderer-dom-stubs';
import { health, installFakeApi, job, logEntry } from './renderer-fixtures';

/** The frame (app/App.tsx and app/frame/): sidebar, top bar, the routed view, first-launch help. */

const state = () => useTickrStore.getState();
const stops: (() => void)[] = [];

function nav(): HTMLElement {
  return screen.getByRole('navigation', { name: 'Views' });
}

function viewTitle(): string {
  return screen.getByRole('heading', { level: 2 }).textContent ?? '';
}

function press(key: string, init: KeyboardEventInit = {}): void {
  const target = document.activeElement ?? document.body;
  act(() => {
    target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }));
  });
}

beforeEach(() => {
  stubLayoutApis();
  resetStore();
  history.replaceState(null, '', '/');
  installFakeApi({ 'jobs.logs': async () => ({ items: [logEntry(1, 'hello')], nextSeq: 2 }) });
  stops.push(startRouter(window), startKeyboard(window));
});

afterEach(() => {
  cleanup();
  for (const stop of stops.splice(0)) stop();
  vi.unstubAllGlobals();
});

describe('the frame', () => {
  it('has a sidebar nav of every view, aria-current on the routed one', () => {
    render(<App />);

    const links = within(nav()).getAllByRole('link');
    expect(links.map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['Dashboard', '#/dashboard'],
      ['Tasks', '#/tasks'],
      ['Queues', '#/queues'],
      ['Jobs', '#/jobs'],
      ['Events', '#/events'],
      ['Diagnostics', '#/diagnostics'],
      ['Settings', '#/settings'],
    ]);
    expect(within(nav()).getByRole('link', { current: 'page' }).textContent).toBe('Dashboard');
    expect(viewTitle()).toBe('Dashboard');
  });

  it('follows a click on a sidebar link to its view', async () => {
    render(<App />);

    fireEvent.click(within(nav()).getByRole('link', { name: 'Settings' }));

    await vi.waitFor(() => expect(viewTitle()).toBe('Settings'));
    expect(location.hash).toBe('#/settings');
    expect(within(nav()).getByRole('link', { current: 'page' }).textContent).toBe('Settings');
  });

  it('shows Redis, MySQL and the node’s load in the top bar, live from health.changed', () => {
    useTickrStore.setState({ health: health('up') });
    render(<App />);
    const pills = screen.getByRole('list', { name: 'Health' });
    expect(within(pills).getByText('Redis').closest('[data-status]')?.getAttribute('data-status')).toBe('up');
    expect(pills.textContent).toContain('test-node · 0/2 running');

    const busy = health('down');
    busy.node.running = 2;
    act(() => applyEvent({ event: 'health.changed', data: busy }));

    expect(within(pills).getByText('Redis').closest('[data-status]')?.getAttribute('data-status')).toBe('down');
    expect(pills.textContent).toContain('test-node · 2/2 running');
  });

  it('a job row goes to #/jobs/<id> and shows its log', async () => {
    // The log is virtualized: its rows render only once the list has a height.
    stops.push(stubScrollLayout('.log-scroll', { width: 800, height: 360 }));
    useTickrStore.setState({ jobs: [job('5', { status: 'succeeded' })], jobsLoaded: true, jobsRequested: true });
    act(() => state().navigate({ view: 'jobs', id: null }));
    render(<App />);

    fireEvent.click(screen.getByRole('link', { name: '5' }).closest('tr') as HTMLElement);

    expect(location.hash).toBe('#/jobs/5');
    await vi.waitFor(() =>
      expect(screen.getByRole('log', { name: 'Log of job 5' }).querySelector('.log-stdout')?.textContent).toBe(
        'hello\n',
      ),
    );
  });

  it('Ctrl+N shows the Tasks view with the new task form’s first field focused', async () => {
    render(<App />);

    press('n', { ctrlKey: true });

    expect(viewTitle()).toBe('Tasks');
    await vi.waitFor(() => expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Name' })));
  });

  it('/ on the Jobs view focuses the job id field; in the list j highlights a job and Enter opens it', () => {
    useTickrStore.setState({ jobs: [job('2'), job('1')], jobsLoaded: true, jobsRequested: true });
    act(() => state().navigate({ view: 'jobs', id: null }));
    render(<App />);

    press('/');
    expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: /job id/i }));

    act(() => screen.getByRole('group', { name: 'Job history' }).focus());
    press('j');
    // j only moves the highlight: the page stays the history.
    expect(location.hash).toBe('#/jobs');
    expect(screen.getByRole('link', { name: '2' }).closest('tr')?.getAttribute('aria-current')).toBe('true');
    press('j');
    expect(screen.getByRole('link', { name: '1' }).closest('tr')?.getAttribute('aria-current')).toBe('true');

    press('Enter');
    expect(location.hash).toBe('#/jobs/1');
  });

  it('Ctrl+K opens the palette from the page; the button does too', () => {
    render(<App />);

    press('k', { ctrlKey: true });
    expect(screen.getByRole('dialog', { name: 'Command palette' })).toBeDefined();
    press('Escape');
    expect(screen.queryByRole('dialog')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: /go to or run/i }));
    expect(screen.getByRole('dialog', { name: 'Command palette' })).toBeDefined();
  });

  it('without a usable token shows only the notice: no views to go to', () => {
    useTickrStore.setState({ auth: 'missing' });
    render(<App />);

    expect(screen.getByRole('alert').textContent).toMatch(/no api token/i);
    expect(screen.queryByRole('navigation')).toBeNull();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Tickr');
  });
});

describe('first launch', () => {
  it.each(['dashboard', 'tasks'] as const)('the %s view teaches task, job and queue, and offers an example', (view) => {
    useTickrStore.setState({ jobsLoaded: true });
    act(() => state().navigate({ view, id: null }));
    render(<App />);

    const guide = screen.getByRole('region', { name: /no jobs yet/i });
    expect([...guide.querySelectorAll('dt')].map((dt) => dt.textContent)).toEqual(['Task', 'Job', 'Queue']);
    expect(within(guide).getByRole('button', { name: 'Create an example task' })).toBeDefined();
  });

  it('one click creates the example shell task, running once now, and shows the Jobs view', async () => {
    const create = vi.fn(async () => ({}) as Task);
    installFakeApi({ 'tasks.create': create });
    useTickrStore.setState({ jobsLoaded: true });
    render(<App />);

    fireEvent.click(screen.getByRole('button', { name: 'Create an example task' }));

    await vi.waitFor(() => expect(viewTitle()).toBe('Jobs'));
    expect(create).toHaveBeenCalledWith({
      name: 'hello from tickr',
      type: 'shell',
      command: 'echo hello from tickr',
      schedule: { type: 'once' },
    });
  });

  it('shows the refusal, and stays, when the node does not take the example', async () => {
    installFakeApi({
      'tasks.create': async () => {
        throw new Error('MySQL is down: nothing was changed');
      },
    });
    useTickrStore.setState({ jobsLoaded: true });
    render(<App />);

    fireEvent.click(screen.getByRole('button', { name: 'Create an example task' }));

    await vi.waitFor(() => expect(screen.getByRole('alert').textContent).toBe('MySQL is down: nothing was changed'));
    expect(viewTitle()).toBe('Dashboard');
  });

  it('is not shown while the job list loads, nor once there are jobs', () => {
    render(<App />);
    expect(screen.queryByRole('region', { name: /no jobs yet/i })).toBeNull();

    act(() => useTickrStore.setState({ jobsLoaded: true, jobs: [job('1')] }));
    expect(screen.queryByRole('region', { name: /no jobs yet/i })).toBeNull();
  });
});
