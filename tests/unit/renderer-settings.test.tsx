// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/renderer/src/api-client';
import { App } from '../../src/renderer/src/app/App';
import { applyEvent } from '../../src/renderer/src/app/events';
import { startRouter } from '../../src/renderer/src/app/routing/router';
import { resetStore, useTickrStore } from '../../src/renderer/src/app/store';
import type { ConnectionTestResult, Settings } from '../../src/shared/types';
import { stubLayoutApis } from './renderer-dom-stubs';
import { health, installFakeApi } from './renderer-fixtures';

/** The Settings view and the first-run screen (views/Settings/). */

const state = () => useTickrStore.getState();
const stops: (() => void)[] = [];

function settings(overrides: Partial<Settings> = {}): Settings {
  return {
    redis: { url: 'redis://127.0.0.1:6379', passwordSet: false },
    mysql: { url: 'mysql://tickr@127.0.0.1:3306/tickr', passwordSet: true },
    concurrency: 4,
    nodeName: 'desk',
    logCapBytes: 1_048_576,
    desktop: {
      theme: 'system',
      notifications: { jobFailed: true, serviceDown: true, serviceUp: false },
      launchAtLogin: false,
      closeToTray: true,
    },
    editable: true,
    firstRun: false,
    apply: { state: 'idle', message: '', at: null },
    ...overrides,
  };
}

const refused: ConnectionTestResult = {
  service: 'redis',
  ok: false,
  target: 'redis://127.0.0.1:1',
  problem: { code: 'REFUSED', message: 'the connection to 127.0.0.1:1 was refused: nothing listens on that port' },
  serverVersion: null,
  warnings: [],
  tookMs: 2,
};

function serve(initial: Settings) {
  let current = initial;
  const get = vi.fn(async () => current);
  const update = vi.fn(async (input: Record<string, unknown>) => {
    if (input.concurrency === 0) throw new ApiError('BAD_INPUT', 'concurrency: must be at least 1');
    current = { ...current, ...(typeof input.concurrency === 'number' ? { concurrency: input.concurrency } : {}) };
    return current;
  });
  const test = vi.fn(async (input: { service: 'redis' | 'mysql' }) => ({ ...refused, service: input.service }));
  installFakeApi({ 'settings.get': get, 'settings.update': update, 'settings.testConnection': test } as never);
  return { get, update, test };
}

async function show(initial: Settings) {
  const api = serve(initial);
  act(() => state().navigate({ view: 'settings', id: null }));
  render(<App />);
  await vi.waitFor(() => expect(screen.getByRole('region', { name: 'Redis' })).toBeDefined());
  return api;
}

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

describe('the Settings view', () => {
  it('shows each connection without its password and says when one is saved', async () => {
    await show(settings());
    const mysql = screen.getByRole('region', { name: 'MySQL or MariaDB' });
    expect((within(mysql).getByLabelText('MySQL or MariaDB URL') as HTMLInputElement).value).toBe(
      'mysql://tickr@127.0.0.1:3306/tickr',
    );
    expect(within(mysql).getByText('A password is saved; leave empty to keep it')).toBeDefined();
    expect((within(mysql).getByLabelText('Password') as HTMLInputElement).value).toBe('');
  });

  it('tests a connection and shows exactly what failed', async () => {
    const api = await show(settings());
    const redis = screen.getByRole('region', { name: 'Redis' });
    fireEvent.change(within(redis).getByLabelText('Redis URL'), { target: { value: 'redis://127.0.0.1:1' } });
    fireEvent.click(within(redis).getByRole('button', { name: 'Test connection' }));
    await vi.waitFor(() => expect(within(redis).getByRole('status').textContent).toContain('Connection refused'));
    expect(api.test).toHaveBeenCalledWith({ service: 'redis', url: 'redis://127.0.0.1:1' });
    expect(within(redis).getByRole('status').textContent).toContain('nothing listens on that port');
  });

  it('builds the URL from fields, TLS options included, and sends a typed password apart', async () => {
    const api = await show(settings());
    const mysql = screen.getByRole('region', { name: 'MySQL or MariaDB' });
    fireEvent.click(within(mysql).getByRole('radio', { name: 'Fields' }));
    fireEvent.change(within(mysql).getByLabelText('Host'), { target: { value: 'localhost' } });
    fireEvent.click(within(mysql).getByRole('checkbox', { name: 'Use TLS' }));
    fireEvent.change(within(mysql).getByLabelText('CA file'), { target: { value: '/etc/ssl/ca.pem' } });
    fireEvent.click(within(mysql).getByRole('checkbox', { name: "Check the server's certificate" }));
    fireEvent.change(within(mysql).getByLabelText('Password'), { target: { value: 'typed-pw' } });
    fireEvent.click(within(mysql).getByRole('button', { name: 'Test connection' }));
    await vi.waitFor(() => expect(api.test).toHaveBeenCalled());
    expect(api.test).toHaveBeenCalledWith({
      service: 'mysql',
      url: 'mysql://tickr@localhost:3306/tickr?tls=1&tls-ca=%2Fetc%2Fssl%2Fca.pem&tls-verify=0',
      password: 'typed-pw',
    });
  });

  it('saves the engine settings and shows a refusal by its field', async () => {
    const api = await show(settings());
    const node = screen.getByRole('region', { name: 'This node' });
    fireEvent.change(within(node).getByLabelText('Concurrency'), { target: { value: '0' } });
    fireEvent.click(within(node).getByRole('button', { name: 'Save and apply' }));
    await vi.waitFor(() => expect(screen.getByRole('alert').textContent).toBe('concurrency: must be at least 1'));
    fireEvent.change(within(node).getByLabelText('Concurrency'), { target: { value: '8' } });
    fireEvent.click(within(node).getByRole('button', { name: 'Save and apply' }));
    await vi.waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(api.update).toHaveBeenLastCalledWith({ concurrency: 8, nodeName: 'desk', logCapBytes: 1_048_576 });
  });

  it('saves a connection with its typed password, then shows the field empty again', async () => {
    const api = await show(settings());
    const redis = screen.getByRole('region', { name: 'Redis' });
    fireEvent.change(within(redis).getByLabelText('Redis URL'), { target: { value: 'rediss://127.0.0.1:6380' } });
    fireEvent.change(within(redis).getByLabelText('Password'), { target: { value: 'r-pass' } });
    fireEvent.click(within(redis).getByRole('button', { name: 'Save and reconnect' }));
    await vi.waitFor(() => expect((within(redis).getByLabelText('Password') as HTMLInputElement).value).toBe(''));
    expect(api.update).toHaveBeenCalledWith({ redis: { url: 'rediss://127.0.0.1:6380', password: 'r-pass' } });
  });

  it('saves a notification switch at once', async () => {
    const api = await show(settings());
    fireEvent.click(screen.getByRole('checkbox', { name: 'Redis or MySQL came back' }));
    await vi.waitFor(() =>
      expect(api.update).toHaveBeenCalledWith({ desktop: { notifications: { serviceUp: true } } }),
    );
  });

  it('shows the progress of applying a change from settings.progress events', async () => {
    await show(settings());
    act(() =>
      applyEvent({
        event: 'settings.progress',
        data: { state: 'draining', message: 'draining the engine: running jobs finish first', at: null },
      }),
    );
    expect(screen.getByTestId('apply-status').textContent).toBe(
      'Draining: draining the engine: running jobs finish first',
    );
  });

  it('on a headless node, offers tests but no saving', async () => {
    await show(settings({ editable: false, desktop: null }));
    expect(screen.getByTestId('settings-read-only')).toBeDefined();
    expect(screen.queryByRole('button', { name: 'Save and reconnect' })).toBeNull();
    expect(screen.getAllByRole('button', { name: 'Test connection' })).toHaveLength(2);
    expect((screen.getByLabelText('Concurrency') as HTMLInputElement).disabled).toBe(true);
  });
});

describe('the first-run screen', () => {
  it('opens instead of the view until MySQL was reached once, and can be put aside', async () => {
    serve(settings({ firstRun: true }));
    act(() => state().navigate({ view: 'dashboard', id: null }));
    render(<App />);
    await vi.waitFor(() => expect(screen.getByTestId('first-run')).toBeDefined());
    expect(screen.getByRole('heading', { name: 'Connect Tickr to Redis and MySQL' })).toBeDefined();
    expect(screen.getByText('sudo apt install redis-server mariadb-server')).toBeDefined();
    expect(screen.getAllByRole('button', { name: 'Test connection' })).toHaveLength(2);
    fireEvent.click(screen.getByRole('button', { name: 'Look around first' }));
    expect(screen.queryByTestId('first-run')).toBeNull();
  });
});
