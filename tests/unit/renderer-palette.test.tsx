// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CommandPalette } from '../../src/renderer/src/app/palette/CommandPalette';
import { startRouter } from '../../src/renderer/src/app/routing/router';
import { resetStore, useTickrStore } from '../../src/renderer/src/app/store';
import type { Task } from '../../src/shared/types';
import { stubLayoutApis } from './renderer-dom-stubs';
import { installFakeApi, job, logEntry } from './renderer-fixtures';

/** The command palette (app/palette/): cmdk in a dialog, filled from the store and the route. */

const state = () => useTickrStore.getState();
let stopRouter: (() => void) | null = null;

function openPalette(): HTMLElement {
  act(() => useTickrStore.setState({ paletteOpen: true }));
  return screen.getByRole('dialog', { name: 'Command palette' });
}

function optionNames(dialog: HTMLElement): string[] {
  return within(dialog)
    .getAllByRole('option')
    .map((option) => option.textContent ?? '');
}

/** Types into the palette's field, as cmdk reads it. */
function search(dialog: HTMLElement, text: string): HTMLElement {
  const input = within(dialog).getByRole('combobox');
  fireEvent.change(input, { target: { value: text } });
  return input;
}

beforeEach(() => {
  stubLayoutApis();
  resetStore();
  history.replaceState(null, '', '/');
  installFakeApi({ 'jobs.logs': async () => ({ items: [logEntry(1)], nextSeq: 2 }) });
  stopRouter = startRouter(window);
  useTickrStore.setState({ jobs: [job('12', { status: 'succeeded' }), job('3', { status: 'failed', taskId: '2' })] });
  render(<CommandPalette />);
});

afterEach(() => {
  cleanup();
  stopRouter?.();
  vi.unstubAllGlobals();
});

describe('command palette', () => {
  it('is closed until opened, then a labelled dialog with a labelled search field', () => {
    expect(screen.queryByRole('dialog')).toBeNull();

    const dialog = openPalette();

    expect(within(dialog).getByRole('combobox').getAttribute('aria-labelledby')).not.toBeNull();
    expect(document.activeElement).toBe(within(dialog).getByRole('combobox'));
  });

  it('lists every view and every job in the store', () => {
    const names = optionNames(openPalette());

    for (const view of ['Dashboard', 'Tasks', 'Queues', 'Jobs', 'Events', 'Settings']) expect(names).toContain(view);
    expect(names).toContain('Job 12 · task 1 · succeeded');
    expect(names).toContain('Job 3 · task 2 · failed');
  });

  it('Enter on a job found by its id goes to #/jobs/<id>, selects it and closes', () => {
    const dialog = openPalette();

    const input = search(dialog, 'Job 3');
    expect(optionNames(dialog)[0]).toBe('Job 3 · task 2 · failed');
    fireEvent.keyDown(input, { key: 'Enter' });

    expect(location.hash).toBe('#/jobs/3');
    expect(state().route).toEqual({ view: 'jobs', id: '3' });
    expect(state().selectedJobId).toBe('3');
    expect(state().paletteOpen).toBe(false);
  });

  it('finds a task by its name and Enter opens it in the editor (#/tasks/<id>)', () => {
    const backup = { id: '7', name: 'nightly-backup', type: 'shell', command: 'tar czf b.tgz .', enabled: true };
    act(() => useTickrStore.setState({ tasks: [backup as Task], tasksLoaded: true }));
    const dialog = openPalette();

    const input = search(dialog, 'nightly');
    expect(optionNames(dialog)[0]).toBe('nightly-backup · task 7 · shell');
    fireEvent.keyDown(input, { key: 'Enter' });

    expect(location.hash).toBe('#/tasks/7');
    expect(state().paletteOpen).toBe(false);
  });

  it('jumps to a view found by its name', () => {
    const dialog = openPalette();

    const input = search(dialog, 'Queues');
    fireEvent.keyDown(input, { key: 'Enter' });

    expect(location.hash).toBe('#/queues');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(dialog.isConnected).toBe(false);
  });

  it("offers the current view's actions first: New task and the example on Tasks, none on Queues", async () => {
    act(() => state().navigate({ view: 'tasks', id: null }));
    let dialog = openPalette();
    expect(within(dialog).getByRole('group', { name: 'Tasks: actions' })).toBeDefined();
    const [first, second] = within(dialog).getAllByRole('option');
    expect(first).toBe(within(dialog).getByRole('option', { name: 'New task' }));
    expect(second).toBe(within(dialog).getByRole('option', { name: 'Create an example task' }));

    const create = vi.fn(async () => ({}) as Task);
    installFakeApi({ 'tasks.create': create });
    fireEvent.click(within(dialog).getByRole('option', { name: 'Create an example task' }));
    await vi.waitFor(() => expect(location.hash).toBe('#/jobs'));
    expect(create).toHaveBeenCalledWith(expect.objectContaining({ command: 'echo hello from tickr', type: 'shell' }));

    act(() => state().navigate({ view: 'queues', id: null }));
    dialog = openPalette();
    expect(within(dialog).queryByRole('group', { name: /actions/ })).toBeNull();
  });

  it('sets the theme', () => {
    const dialog = openPalette();

    fireEvent.click(within(dialog).getByRole('option', { name: 'Theme: Dark' }));

    expect(state().themeChoice).toBe('dark');
  });

  it('says so when nothing matches', () => {
    const dialog = openPalette();

    search(dialog, 'zzzzzz');

    expect(within(dialog).getByText('Nothing matches.')).toBeDefined();
  });

  it('Esc closes it without running anything', () => {
    const dialog = openPalette();

    fireEvent.keyDown(within(dialog).getByRole('combobox'), { key: 'Escape' });

    expect(state().paletteOpen).toBe(false);
    expect(state().route.view).toBe('dashboard');
  });
});
