import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, testId, UI_TIMEOUT_MS } from './helpers/browser';
import {
  expectView,
  navLink,
  SCREENSHOT_DIR,
  screenshotPath,
  seriousAxeViolations,
  viewEntry,
  VIEWS,
  type ViewEntry,
} from './helpers/frame';
import { jobOfTask } from './helpers/jobs';
import { startServeNode, type ServeNode } from './helpers/serve-node';

const THEMES = ['light', 'dark'] as const;
const VIEWPORT = { width: 1280, height: 800 };

/** The app's frame in Chromium: routes in the URL, the sidebar, the palette, accessibility, both themes. */
describe('web UI: the frame', () => {
  let node: ServeNode;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    // Chromium starts while the node does.
    [node, browser] = await Promise.all([startServeNode(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  /** Types a route into the address bar: the same document (the token stays in the tab), a new route. */
  async function goToUrl(page: Page, hash: string): Promise<void> {
    await page.goto(`${node.baseUrl}/${hash}`);
  }

  async function currentHash(page: Page): Promise<string> {
    return page.evaluate<string>('location.hash');
  }

  /** The view at `hash` in `theme`: no serious or critical axe finding, and a screenshot of it. */
  async function checkView(
    page: Page,
    entry: ViewEntry,
    hash: string,
    theme: 'light' | 'dark',
    screenshot: string = entry.view,
  ): Promise<void> {
    await page.emulateMedia({ colorScheme: theme });
    await goToUrl(page, hash);
    await expectView(page, entry);
    // The page follows the OS's scheme (the switch is on "System" in a fresh context).
    // The OS change reaches the page as a media-query event: wait for it rather than race it.
    await expect.poll(() => page.evaluate<string>('document.documentElement.dataset.theme')).toBe(theme);
    expect(await seriousAxeViolations(page), `${hash} in ${theme}`).toEqual([]);
    // Events and Diagnostics have their own screenshots, after a rebuild (events.test.ts).
    if (entry.view === 'events' || entry.view === 'diagnostics') return;
    // The Queues view's own screenshots show it mid-stream (queues.test.ts); here it is empty.
    const name = entry.view === 'queues' ? 'queues-empty' : screenshot;
    await page.screenshot({ path: screenshotPath(name, theme), fullPage: true });
  }

  // First in the file, so that the node has no jobs yet: the first-launch views are what a new user sees.
  it('has no serious or critical axe violations on any view, light or dark (screenshots in docs/screenshots)', async () => {
    // axe goes in as an inline script, which the page's CSP (script-src 'self') refuses.
    const context = await browser.newContext({ viewport: VIEWPORT, bypassCSP: true });
    try {
      const { page, pageErrors } = await openApp(context, node);
      await page.getByText('No jobs yet.').first().waitFor({ timeout: UI_TIMEOUT_MS });

      for (const theme of THEMES)
        for (const view of ['dashboard', 'tasks', 'queues', 'events', 'diagnostics', 'settings'] as const)
          await checkView(page, viewEntry(view), `#/${view}`, theme);

      // The first-launch offer, as a new user would take it: one click, then the job on the Jobs view.
      await page.emulateMedia({ colorScheme: 'light' });
      await goToUrl(page, '#/dashboard');
      await page.getByRole('button', { name: 'Create an example task' }).click();
      await expectView(page, viewEntry('jobs'));
      const exampleRow = testId('job-row', { 'data-status': 'succeeded' });
      await page.waitForSelector(exampleRow, { timeout: UI_TIMEOUT_MS });
      const jobId = (await page.getAttribute(exampleRow, 'data-job-id')) as string;
      // A failed job too, so that both status colours are checked for contrast.
      await node.call('tasks.create', {
        name: 'e2e-fails',
        type: 'shell',
        command: 'echo oops >&2; exit 3',
        maxAttempts: 1,
      });
      await page.waitForSelector(testId('job-row', { 'data-status': 'failed' }), { timeout: UI_TIMEOUT_MS });

      for (const theme of THEMES) {
        // jobs-*.png is the history with filters (history.test.ts); this is the first job's own page.
        await checkView(page, viewEntry('jobs'), `#/jobs/${jobId}`, theme, 'job-first-run');
        await expect
          .poll(() => page.locator(`${testId('job-log')} .log-stdout`).allTextContents(), { timeout: UI_TIMEOUT_MS })
          .toContain('hello from tickr\n');
        await page.screenshot({ path: screenshotPath('job-first-run', theme), fullPage: true });

        await page.keyboard.press('Control+K');
        await page.getByRole('dialog', { name: 'Command palette' }).waitFor({ timeout: UI_TIMEOUT_MS });
        expect(await seriousAxeViolations(page), `the palette in ${theme}`).toEqual([]);
        await page.screenshot({ path: screenshotPath('palette', theme) });
        await page.keyboard.press('Escape');
        await page.getByRole('dialog').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
      }
      expect(pageErrors()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('goes to every view from the sidebar and by URL; a reload and the back button keep to the route', async () => {
    const context = await browser.newContext({ viewport: VIEWPORT });
    try {
      const { page, pageErrors } = await openApp(context, node);
      await expectView(page, viewEntry('dashboard'));
      // The token left the address bar, and the router did not put anything in its place.
      expect(await currentHash(page)).toBe('');

      await page.evaluate('window.e2eSamePage = true');
      for (const entry of VIEWS) {
        await navLink(page, entry.title).click();
        await expectView(page, entry);
        expect(await currentHash(page)).toBe(`#/${entry.view}`);
      }
      // Links change the fragment only: no reload.
      expect(await page.evaluate<unknown>('window.e2eSamePage')).toBe(true);
      await page.goBack();
      await expectView(page, viewEntry('diagnostics'));

      for (const entry of VIEWS) {
        await goToUrl(page, `#/${entry.view}`);
        await expectView(page, entry);
        await page.reload();
        await expectView(page, entry);
        expect(await currentHash(page)).toBe(`#/${entry.view}`);
        // A fresh load: the health comes from a new, authenticated health.get (the token stayed in the tab).
        await page.waitForSelector(testId('health-redis', { 'data-status': 'up' }), { timeout: UI_TIMEOUT_MS });
      }

      // A job's address selects it, and still does after a reload.
      const name = `e2e-linked-${randomBytes(3).toString('hex')}`;
      await node.call('tasks.create', { name, type: 'shell', command: 'echo linked' });
      const { job } = await jobOfTask(node, name);
      await goToUrl(page, `#/jobs/${job.id}`);
      await page.waitForSelector(testId('job-log', { 'data-job-id': job.id }), { timeout: UI_TIMEOUT_MS });
      await page.reload();
      await page.waitForSelector(testId('job-log', { 'data-job-id': job.id }), { timeout: UI_TIMEOUT_MS });

      await goToUrl(page, '#/nowhere');
      await expectView(page, viewEntry('dashboard'));
      expect(await currentHash(page)).toBe('#/dashboard');
      expect(pageErrors()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('opens the command palette with Ctrl+K, jumps to a view and to a job by its id; Esc closes it', async () => {
    const name = `e2e-palette-${randomBytes(3).toString('hex')}`;
    await node.call('tasks.create', { name, type: 'shell', command: 'echo from-the-palette' });
    const { job } = await jobOfTask(node, name);

    const context = await browser.newContext({ viewport: VIEWPORT });
    try {
      const { page, pageErrors } = await openApp(context, node);
      const palette = page.getByRole('dialog', { name: 'Command palette' });

      await page.keyboard.press('Control+K');
      await palette.waitFor({ timeout: UI_TIMEOUT_MS });
      await page.keyboard.type('Queues');
      await page.keyboard.press('Enter');
      await palette.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
      await expectView(page, viewEntry('queues'));
      expect(await currentHash(page)).toBe('#/queues');

      await page.keyboard.press('Control+K');
      await palette.waitFor({ timeout: UI_TIMEOUT_MS });
      await page.keyboard.type(`Job ${job.id}`);
      await expect
        .poll(() => palette.getByRole('option', { selected: true }).textContent(), { timeout: UI_TIMEOUT_MS })
        .toContain(`Job ${job.id} ·`);
      await page.keyboard.press('Enter');
      await palette.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
      expect(await currentHash(page)).toBe(`#/jobs/${job.id}`);
      await expect
        .poll(() => page.locator(`${testId('job-log', { 'data-job-id': job.id })} .log-stdout`).allTextContents(), {
          timeout: UI_TIMEOUT_MS,
        })
        .toContain('from-the-palette\n');

      await page.keyboard.press('Control+K');
      await palette.waitFor({ timeout: UI_TIMEOUT_MS });
      await page.keyboard.press('Escape');
      await palette.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
      expect(await currentHash(page)).toBe(`#/jobs/${job.id}`);
      expect(pageErrors()).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
