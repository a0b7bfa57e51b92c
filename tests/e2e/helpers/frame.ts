import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { UI_TIMEOUT_MS } from './browser';

/** The app's frame as a user finds it: the sidebar's links, the routed view's title, axe's verdict. */

export const VIEWS = [
  { view: 'dashboard', title: 'Dashboard' },
  { view: 'tasks', title: 'Tasks' },
  { view: 'queues', title: 'Queues' },
  { view: 'jobs', title: 'Jobs' },
  { view: 'events', title: 'Events' },
  { view: 'diagnostics', title: 'Diagnostics' },
  { view: 'settings', title: 'Settings' },
] as const;
export type ViewEntry = (typeof VIEWS)[number];

export function viewEntry(view: ViewEntry['view']): ViewEntry {
  return VIEWS.find((v) => v.view === view) as ViewEntry;
}

export function navLink(page: Page, title: string): Locator {
  return page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: title, exact: true });
}

/** Waits until `entry` is the view shown: its title over the main area, its sidebar link current. */
export async function expectView(page: Page, entry: ViewEntry): Promise<void> {
  await page
    .getByRole('main')
    .getByRole('heading', { level: 2, name: entry.title, exact: true })
    .waitFor({ timeout: UI_TIMEOUT_MS });
  const current = page.getByRole('navigation', { name: 'Views' }).locator('[aria-current="page"]');
  expect(await current.textContent()).toBe(entry.title);
}

const AXE_SCRIPT = fileURLToPath(new URL('../../../node_modules/axe-core/axe.min.js', import.meta.url));

interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core's serious and critical violations on the page as it is, one line each. axe is injected
 * as a script tag once per document (a hash route keeps the document; a reload does not). The
 * page's CSP refuses inline scripts: the context must be made with `bypassCSP: true`.
 */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate<boolean>('typeof window.axe === "object"'))) await page.addScriptTag({ path: AXE_SCRIPT });
  const findings = await page.evaluate<AxeFinding[]>(`
    window.axe.run(document, { resultTypes: ['violations'] }).then((results) =>
      results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      })),
    )`);
  return findings
    .filter((f) => f.impact === 'serious' || f.impact === 'critical')
    .map((f) => `${f.impact} ${f.id}: ${f.help} (${f.targets.join(', ')})`);
}

export const SCREENSHOT_DIR = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

export function screenshotPath(name: string, theme: 'light' | 'dark'): string {
  return path.join(SCREENSHOT_DIR, `${name}-${theme}.png`);
}
