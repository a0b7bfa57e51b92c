// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetStore, useTickrStore } from '../../src/renderer/src/app/store';
import { ThemeSwitch } from '../../src/renderer/src/app/theme/ThemeSwitch';
import { resolveTheme } from '../../src/renderer/src/app/theme/theme';
import { startTheme } from '../../src/renderer/src/app/theme/theme-sync';

/** Light and dark (app/theme/): following the OS, the manual switch, and remembering it. */

/** Stands in for the OS's colour preference, which jsdom does not have. */
class FakeColorScheme {
  dark = false;
  private listeners = new Set<(event: MediaQueryListEvent) => void>();

  matchMedia = (query: string): MediaQueryList =>
    ({
      media: query,
      matches: this.dark,
      addEventListener: (_type: string, listener: (event: MediaQueryListEvent) => void) => this.listeners.add(listener),
      removeEventListener: (_type: string, listener: (event: MediaQueryListEvent) => void) =>
        this.listeners.delete(listener),
    }) as unknown as MediaQueryList;

  /** The user switches the OS to dark (or back). */
  set(dark: boolean): void {
    this.dark = dark;
    for (const listener of this.listeners) listener({ matches: dark } as MediaQueryListEvent);
  }
}

const html = () => document.documentElement;
let os: FakeColorScheme;
let stopTheme: (() => void) | null = null;

function start(): void {
  stopTheme = startTheme(window);
}

/** As after a reload: a fresh store and a new start, with whatever storage kept. */
function reload(): void {
  stopTheme?.();
  cleanup();
  resetStore();
  start();
}

beforeEach(() => {
  os = new FakeColorScheme();
  vi.stubGlobal('matchMedia', os.matchMedia);
  resetStore();
  localStorage.clear();
});

afterEach(() => {
  cleanup();
  stopTheme?.();
  stopTheme = null;
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('theme', () => {
  it('resolves a choice against the OS preference', () => {
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });

  it('follows the OS by default, live, as data-theme on <html>', () => {
    os.dark = true;
    start();
    expect(html().dataset.theme).toBe('dark');
    expect(html().dataset.themeChoice).toBe('system');

    act(() => os.set(false));
    expect(html().dataset.theme).toBe('light');
  });

  it('the switch overrides the OS with light or dark, and back to system', () => {
    os.dark = true;
    start();
    render(<ThemeSwitch />);

    fireEvent.click(screen.getByRole('radio', { name: 'Light' }));
    expect(html().dataset.theme).toBe('light');
    expect((screen.getByRole('radio', { name: 'Light' }) as HTMLInputElement).checked).toBe(true);
    act(() => os.set(true));
    expect(html().dataset.theme).toBe('light');

    fireEvent.click(screen.getByRole('radio', { name: 'Dark' }));
    expect(html().dataset.theme).toBe('dark');
    act(() => os.set(false));
    expect(html().dataset.theme).toBe('dark');

    fireEvent.click(screen.getByRole('radio', { name: 'System' }));
    expect(html().dataset.theme).toBe('light');
    expect(html().dataset.themeChoice).toBe('system');
  });

  it('is one labelled radio group showing the current choice', () => {
    start();
    render(<ThemeSwitch />);

    const group = screen.getByRole('group', { name: 'Theme' });
    const radios = screen.getAllByRole('radio');
    expect(group.contains(radios[0] as Node)).toBe(true);
    expect(radios.map((r) => [r.getAttribute('value'), (r as HTMLInputElement).checked])).toEqual([
      ['system', true],
      ['light', false],
      ['dark', false],
    ]);
  });

  it('remembers the choice across a reload', () => {
    start();
    render(<ThemeSwitch />);
    fireEvent.click(screen.getByRole('radio', { name: 'Dark' }));

    reload();
    render(<ThemeSwitch />);

    expect(useTickrStore.getState().themeChoice).toBe('dark');
    expect(html().dataset.theme).toBe('dark');
    expect((screen.getByRole('radio', { name: 'Dark' }) as HTMLInputElement).checked).toBe(true);

    // Back to system: nothing stays remembered, so the OS decides again after a reload.
    fireEvent.click(screen.getByRole('radio', { name: 'System' }));
    reload();
    expect(useTickrStore.getState().themeChoice).toBe('system');
  });

  it('takes a choice made in another window of the page (the storage event)', () => {
    start();
    localStorage.setItem('tickr.theme', 'dark');

    act(() => window.dispatchEvent(new StorageEvent('storage', { key: 'tickr.theme', newValue: 'dark' })));

    expect(html().dataset.theme).toBe('dark');
  });

  it('works with storage disabled or holding something unknown: system, and the choice lasts until reload', () => {
    localStorage.setItem('tickr.theme', 'sepia');
    start();
    expect(useTickrStore.getState().themeChoice).toBe('system');

    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('disabled', 'SecurityError');
    });
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('disabled', 'SecurityError');
    });
    useTickrStore.getState().chooseTheme('dark');
    expect(html().dataset.theme).toBe('dark');

    reload();
    expect(useTickrStore.getState().themeChoice).toBe('system');
  });
});
