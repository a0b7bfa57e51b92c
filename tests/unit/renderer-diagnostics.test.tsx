// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../src/renderer/src/app/App';
import { startRouter } from '../../src/renderer/src/app/routing/router';
import { resetStore, useTickrStore } from '../../src/renderer/src/app/store';
import type { DiagnosticFinding, DiagnosticsReport, DiagnosticsRepairResult } from '../../src/shared/types';
import { stubLayoutApis } from './renderer-dom-stubs';
import { health, installFakeApi } from './renderer-fixtures';

/** The Diagnostics view (views/Diagnostics/): the check's findings, with job links, and repair now. */

const state = () => useTickrStore.getState();
const stops: (() => void)[] = [];

function finding(kind: DiagnosticFinding['kind'], count = 0, examples: DiagnosticFinding['examples'] = []) {
  return { kind, count, examples, detail: `detail of ${kind}` };
}

function report(over: Partial<DiagnosticsReport> = {}): DiagnosticsReport {
  return {
    at: '2026-01-01T12:00:00.000Z',
    tookMs: 12,
    clean: true,
    partial: false,
    stoppedBy: null,
    limits: { maxIds: 200_000, budgetMs: 3_000 },
    redis: { examined: 40, total: 40, structures: 3 },
    mysql: { examined: 39, total: 39 },
    markers: { redisGeneration: '4', mysqlGeneration: '4', redisRunId: 'a', mysqlRunId: 'a', mismatch: null },
    findings: [finding('stray'), finding('unqueued'), finding('duplicate'), finding('marker')],
    ...over,
  };
}

const dirty = report({
  clean: false,
  partial: true,
  stoppedBy: 'id cap',
  redis: { examined: 1_000, total: 3_000, structures: 3 },
  findings: [
    finding('stray', 1, [{ id: '987', where: ['waiting'], status: null }]),
    finding('unqueued', 2, [
      { id: '41', where: [], status: 'waiting' },
      { id: '42', where: [], status: 'ready' },
    ]),
    finding('duplicate'),
    finding('marker'),
  ],
});

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

function show(): void {
  act(() => state().navigate({ view: 'diagnostics', id: null }));
  render(<App />);
}

describe('the diagnostics panel', () => {
  it('checks on opening and shows each finding with example ids linking to their jobs, and a partial answer as such', async () => {
    installFakeApi({ 'diagnostics.check': async () => dirty });
    show();
    await vi.waitFor(() => expect(screen.getByText('Redis and MySQL disagree')).toBeDefined());
    expect(screen.getByText(/examined 1,000 of 3,000 ids in 3 Redis queues/).textContent).toMatch(
      /partial, because it reached its cap of ids/,
    );
    const stray = screen.getByRole('region', { name: 'Stray ids in Redis' });
    expect(within(stray).getByText('1')).toBeDefined();
    expect(within(stray).getByRole('link', { name: '#987' }).getAttribute('href')).toBe('#/jobs/987');
    expect(stray.textContent).toMatch(/no job row · in waiting/);
    const unqueued = screen.getByRole('region', { name: 'Due jobs no queue holds' });
    expect(
      within(unqueued)
        .getAllByRole('link')
        .map((a) => a.getAttribute('href')),
    ).toEqual(['#/jobs/41', '#/jobs/42']);
    expect(within(screen.getByRole('region', { name: 'Ids held twice' })).getByText('none')).toBeDefined();
    expect(within(screen.getByRole('region', { name: 'Marker and run_id' })).getByText('match')).toBeDefined();
  });

  it('repairs now: runs the chosen repair once, shows its result, and checks again', async () => {
    let finish: (r: DiagnosticsRepairResult) => void = () => undefined;
    const repair = vi.fn(
      () =>
        new Promise<DiagnosticsRepairResult>((resolve) => {
          finish = resolve;
        }),
    );
    const check = vi.fn(async () => (repair.mock.calls.length === 0 ? dirty : report()));
    installFakeApi({ 'diagnostics.check': check, 'diagnostics.repair': repair } as never);
    show();
    await vi.waitFor(() => expect(screen.getByText('Redis and MySQL disagree')).toBeDefined());
    const rebuild = screen.getByRole('button', { name: 'Rebuild from MySQL' });
    fireEvent.click(rebuild);
    // A second click, on either repair, while one runs does not start another.
    fireEvent.click(screen.getByRole('button', { name: 'Rebuilding…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Run the sweep' }));
    expect(repair).toHaveBeenCalledTimes(1);
    expect(repair).toHaveBeenCalledWith({ action: 'rebuild' });
    await act(async () => {
      finish({
        action: 'rebuild',
        at: '2026-01-01T12:00:05.000Z',
        jobs: 39,
        ms: 8,
        message: 'rebuilt the queues from MySQL: 39 job(s) in 8 ms',
      });
    });
    await vi.waitFor(() => expect(screen.getByText('Clean')).toBeDefined());
    expect(screen.getByText(/Rebuild done at .*: rebuilt the queues from MySQL: 39 job\(s\) in 8 ms\./)).toBeDefined();
    expect(check).toHaveBeenCalledTimes(2);
  });

  it('says why it cannot check when the check fails', async () => {
    installFakeApi({
      'diagnostics.check': async () => {
        throw new Error('Redis is unavailable: nothing to compare with MySQL');
      },
    });
    show();
    await vi.waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe('Redis is unavailable: nothing to compare with MySQL'),
    );
    expect(screen.getByRole('button', { name: 'Check again' })).toBeDefined();
  });
});
