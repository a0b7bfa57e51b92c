// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startKeyboard } from '../../src/renderer/src/app/keyboard';
import { startRouter } from '../../src/renderer/src/app/routing/router';
import { resetStore, useTickrStore } from '../../src/renderer/src/app/store';
import { installFakeApi, job, logEntry } from './renderer-fixtures';

/** The page's shortcuts (app/keyboard.ts), on a hand-made page: the handler works on the DOM and the store. */

const state = () => useTickrStore.getState();
const stops: (() => void)[] = [];

/** A keydown at `target` (the page when left out), bubbling to the window as a real one does. */
function press(key: string, init: KeyboardEventInit = {}, target: Element = document.body): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event;
}

function element<T extends HTMLElement = HTMLElement>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (found === null) throw new Error(`no ${selector} on the page`);
  return found;
}

beforeEach(() => {
  resetStore();
  history.replaceState(null, '', '/');
  document.body.innerHTML = `
    <button id="elsewhere">elsewhere</button>
    <main>
      <input id="first" type="text" />
      <textarea id="notes"></textarea>
    </main>`;
  stops.push(startKeyboard(window));
});

afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  document.body.innerHTML = '';
});

describe('keyboard shortcuts', () => {
  it('Ctrl+K and ⌘+K open the palette, and close it when pressed again', () => {
    const event = press('k', { ctrlKey: true });
    expect(event.defaultPrevented).toBe(true);
    expect(state().paletteOpen).toBe(true);

    press('k', { ctrlKey: true });
    expect(state().paletteOpen).toBe(false);

    press('K', { metaKey: true });
    expect(state().paletteOpen).toBe(true);
  });

  it('Ctrl+K works from inside a text field too', () => {
    element('#first').focus();
    press('k', { ctrlKey: true }, element('#first'));
    expect(state().paletteOpen).toBe(true);
  });

  it('leaves Ctrl+Shift+K and Ctrl+Alt+K to the browser', () => {
    expect(press('k', { ctrlKey: true, shiftKey: true }).defaultPrevented).toBe(false);
    press('k', { ctrlKey: true, altKey: true });
    expect(state().paletteOpen).toBe(false);
  });

  it('Esc closes the palette and gives focus back to where it was', async () => {
    element('#elsewhere').focus();
    press('k', { ctrlKey: true });
    // The palette takes focus while open.
    element('#first').focus();

    press('Escape', {}, element('#first'));

    expect(state().paletteOpen).toBe(false);
    await vi.waitFor(() => expect(document.activeElement?.id).toBe('elsewhere'));
  });

  it('Ctrl+N opens the new-task editor and closes the palette', () => {
    press('k', { ctrlKey: true });

    const event = press('n', { ctrlKey: true });

    expect(event.defaultPrevented).toBe(true);
    expect(state().route).toEqual({ view: 'tasks', id: 'new' });
    expect(location.hash).toBe('#/tasks/new');
    expect(state().paletteOpen).toBe(false);
  });

  it('/ focuses the view’s first field', () => {
    const event = press('/');

    expect(event.defaultPrevented).toBe(true);
    expect(document.activeElement?.id).toBe('first');
  });

  it('/ prefers the view’s search field', () => {
    element('main').insertAdjacentHTML('beforeend', '<input id="search" type="search" />');

    press('/');

    expect(document.activeElement?.id).toBe('search');
  });

  it.each(['#first', '#notes'])('/ is only a character while typing in %s', (field) => {
    element(field).focus();

    const event = press('/', {}, element(field));

    expect(event.defaultPrevented).toBe(false);
    expect(document.activeElement).toBe(element(field));
  });

  it('does nothing without a usable token: the page only says how to get one', () => {
    useTickrStore.setState({ auth: 'missing' });

    press('k', { ctrlKey: true });
    press('n', { ctrlKey: true });

    expect(state().paletteOpen).toBe(false);
    expect(state().route.view).toBe('dashboard');
  });
});

describe('j and k in the job list', () => {
  beforeEach(() => {
    installFakeApi({ 'jobs.logs': async () => ({ items: [logEntry(1)], nextSeq: 2 }) });
    useTickrStore.setState({ jobs: [job('3'), job('2'), job('1')] });
    stops.push(startRouter(window));
    element('main').insertAdjacentHTML('beforeend', '<div id="list" tabindex="0" data-keyboard-list="jobs"></div>');
  });

  it('move the highlight down and up while the list has focus, leaving the page where it is', () => {
    const list = element('#list');
    list.focus();
    const entries = history.length;
    const hash = location.hash;

    press('j', {}, list);
    expect(state().selectedJobId).toBe('3');
    press('j', {}, list);
    press('ArrowDown', {}, list);
    expect(state().selectedJobId).toBe('1');
    // The end of the list stays the end.
    press('j', {}, list);
    expect(state().selectedJobId).toBe('1');
    press('k', {}, list);
    expect(state().selectedJobId).toBe('2');
    press('ArrowUp', {}, list);
    expect(state().selectedJobId).toBe('3');

    expect(location.hash).toBe(hash);
    expect(history.length).toBe(entries);
  });

  it('Enter on the list opens the highlighted job; with none highlighted it does nothing', () => {
    const list = element('#list');
    list.focus();
    press('Enter', {}, list);
    expect(state().route).toEqual({ view: 'dashboard', id: null });

    press('j', {}, list);
    press('j', {}, list);
    press('Enter', {}, list);
    expect(state().route).toEqual({ view: 'jobs', id: '2' });
    expect(location.hash).toBe('#/jobs/2');
  });

  it('are plain keys anywhere else', () => {
    element('#elsewhere').focus();

    press('j', {}, element('#elsewhere'));
    press('j', {}, element('#first'));

    expect(state().selectedJobId).toBeNull();
  });
});
