// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../src/renderer/src/app/App';
import { applyEvent, rereadAfterReconnect } from '../../src/renderer/src/app/events';
import { startRouter } from '../../src/renderer/src/app/routing/router';
import { resetStore, useTickrStore } from '../../src/renderer/src/app/store';
import type { Page, SystemEvent } from '../../src/shared/types';
import { stubLayoutApis } from './renderer-dom-stubs';
import { health, installFakeApi } from './renderer-fixtures';

/** The Events view (views/Events/): the timeline, its filters on the server, live events, paging. */

const state = () => useTickrStore.getState();
const stops: (() => void)[] = [];

function ev(
  id: string,
  kind: string,
  data: Record<string, unknown> = {},
  over: Partial<SystemEvent> = {},
): SystemEvent {
  return {
    id,
    at: `2026-01-01T12:00:${id.padStart(2, '0')}.000Z`,
    level: kind.endsWith('.down') ? 'error' : kind.endsWith('.rebuilt') ? 'warn' : 'info',
    kind,
    message: `message of ${kind}`,
    nodeId: 'node-1',
    data,
    ...over,
  };
}

const down = ev('10', 'redis.down', {
  error: 'connection closed',
  endedAt: '2026-01-01T12:00:14.200Z',
  upEventId: '13',
});
const rebuilt = ev('12', 'redis.rebuilt', { jobs: 1204, ms: 380, generation: '4' });
const up = ev('13', 'redis.up', { downEventId: '10', downAt: down.at, durationMs: 4_200 });

function serve(pages: Record<string, Page<SystemEvent>>) {
  // A page per filter: `first` for none, else the level and kind joined, or the cursor.
  const list = vi.fn(async (input: { cursor?: string; level?: string; kind?: string }) => {
    const key = input.cursor ?? ([input.level, input.kind].filter(Boolean).join('+') || 'first');
    return pages[key] ?? { items: [], nextCursor: null };
  });
  installFakeApi({
    'events.list': list,
    'nodes.list': async () => ({
      items: [
        {
          id: 'node-1',
          name: 'desk',
          host: 'h',
          pid: 1,
          concurrency: 2,
          version: '0',
          startedAt: down.at,
          lastSeenAt: down.at,
          stoppedAt: null,
          alive: true,
        },
      ],
    }),
  } as never);
  return list;
}

async function showEvents(): Promise<HTMLElement> {
  act(() => state().navigate({ view: 'events', id: null }));
  render(<App />);
  return vi.waitFor(() => screen.getByRole('list', { name: 'System events, newest first' }));
}

const kinds = (list: HTMLElement): string[] =>
  within(list)
    .getAllByRole('listitem')
    .map((li) => li.dataset.kind ?? '');

beforeEach(() => {
  stubLayoutApis();
  resetStore();
  history.replaceState(null, '', '/');
  useTickrStore.setState({ health: health('up') });
  stops.push(startRouter(window));
});

afterEach(() => {
  cleanup();
  for (const stop of stops.splice(0)) stop();
  vi.restoreAllMocks();
});

describe('the timeline', () => {
  it('shows an outage as one entry with its length and both ends, and each event with its figures', async () => {
    serve({ first: { items: [up, rebuilt, down, ev('5', 'node.started')], nextCursor: null } });
    const list = await showEvents();
    expect(kinds(list)).toEqual(['redis.outage', 'redis.rebuilt', 'node.started']);
    const outage = within(list).getAllByRole('listitem')[0]!;
    expect(outage.textContent).toMatch(/Redis outage/);
    expect(outage.textContent).toMatch(/4\.2 s/);
    expect(outage.textContent).toMatch(/connection closed/);
    expect(outage.querySelectorAll('p time')).toHaveLength(2);
    const rebuild = within(list).getAllByRole('listitem')[1]!;
    expect(within(rebuild).getByText('1,204 jobs')).toBeDefined();
    expect(within(rebuild).getByText('took 380 ms')).toBeDefined();
    // The node is named, not just its id.
    await vi.waitFor(() => expect(within(rebuild).getByText('desk')).toBeDefined());
  });

  it('puts live events on top, joins an up to its live down, and leaves out what the filter hides', async () => {
    serve({ first: { items: [ev('5', 'node.started')], nextCursor: null } });
    const list = await showEvents();
    const liveDown = ev('20', 'redis.down', { error: 'connection closed' });
    act(() => applyEvent({ event: 'event.appended', data: liveDown }));
    expect(kinds(list)).toEqual(['redis.outage', 'node.started']);
    expect(within(list).getAllByRole('listitem')[0]!.textContent).toMatch(/Redis down — ongoing/);
    act(() =>
      applyEvent({
        event: 'event.appended',
        data: ev('21', 'redis.up', { downEventId: '20', downAt: liveDown.at, durationMs: 2_000 }),
      }),
    );
    expect(kinds(list)).toEqual(['redis.outage', 'node.started']);
    expect(within(list).getAllByRole('listitem')[0]!.textContent).toMatch(/Redis outage.*2\.0 s/);
    // The same event twice (a reconnect's re-read racing the stream) is shown once.
    act(() => applyEvent({ event: 'event.appended', data: liveDown }));
    expect(kinds(list)).toHaveLength(2);
  });

  it('filters on the server: a level change re-reads with it, and live events follow the filter', async () => {
    const list = serve({
      first: { items: [rebuilt, ev('5', 'node.started')], nextCursor: null },
      warn: { items: [rebuilt], nextCursor: null },
    });
    await showEvents();
    fireEvent.change(screen.getByRole('combobox', { name: 'Level' }), { target: { value: 'warn' } });
    await vi.waitFor(() => expect(list).toHaveBeenLastCalledWith({ limit: 100, level: 'warn' }));
    const timeline = await vi.waitFor(() => screen.getByRole('list', { name: 'System events, newest first' }));
    await vi.waitFor(() => expect(kinds(timeline)).toEqual(['redis.rebuilt']));
    act(() => applyEvent({ event: 'event.appended', data: ev('30', 'node.stopped') }));
    expect(kinds(timeline)).toEqual(['redis.rebuilt']);
    fireEvent.change(screen.getByRole('combobox', { name: 'Kind' }), { target: { value: 'sweep.*' } });
    await vi.waitFor(() => expect(list).toHaveBeenLastCalledWith({ limit: 100, level: 'warn', kind: 'sweep.*' }));
    await vi.waitFor(() => expect(screen.getByText('No event matches these filters.')).toBeDefined());
  });

  it('reads older pages by cursor on demand, and the first page again after a reconnect', async () => {
    const list = serve({
      first: { items: [rebuilt], nextCursor: '12' },
      '12': { items: [ev('5', 'node.started')], nextCursor: null },
    });
    const timeline = await showEvents();
    fireEvent.click(screen.getByRole('button', { name: 'Load older events' }));
    await vi.waitFor(() => expect(kinds(timeline)).toEqual(['redis.rebuilt', 'node.started']));
    expect(list).toHaveBeenLastCalledWith({ limit: 100, cursor: '12' });
    expect(screen.queryByRole('button', { name: 'Load older events' })).toBeNull();
    const calls = list.mock.calls.length;
    act(() => rereadAfterReconnect());
    await vi.waitFor(() => expect(list.mock.calls.length).toBe(calls + 1));
    expect(list).toHaveBeenLastCalledWith({ limit: 100 });
  });

  it('says a MySQL outage is going on while it cannot be written yet', async () => {
    serve({ first: { items: [], nextCursor: null } });
    const h = health('up');
    useTickrStore.setState({
      health: { ...h, mysql: { ...h.mysql, status: 'down', since: new Date().toISOString() } },
    });
    act(() => state().navigate({ view: 'events', id: null }));
    render(<App />);
    const banner = await vi.waitFor(() => screen.getByText('MySQL down — ongoing'));
    expect(banner.closest('p')?.textContent).toMatch(/written to the timeline when MySQL returns/);
  });
});
