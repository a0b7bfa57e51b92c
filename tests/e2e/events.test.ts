import { mkdirSync } from 'node:fs';
import { Redis } from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateRedis, type PrivateServer } from '../../scripts/private-servers.mjs';
import type { DiagnosticsReport, Task } from '../../src/shared/types';
import { launchBrowser, openApp, UI_TIMEOUT_MS } from './helpers/browser';
import { expectView, SCREENSHOT_DIR, screenshotPath, seriousAxeViolations, viewEntry } from './helpers/frame';
import { startServeNode, type ServeNode } from './helpers/serve-node';

/** Jobs waiting an hour ahead: what a rebuild puts back into Redis. */
const JOBS = 12;
const THEMES = ['light', 'dark'] as const;

/**
 * The Events view and the Diagnostics panel in Chromium against `tickr serve` on a PRIVATE Redis
 * (never the shared one): a Redis restart shows as one outage entry, a FLUSHALL under the running
 * node shows as a rebuild with its job count, and Diagnostics is clean afterwards.
 */
describe('web UI: events timeline and diagnostics', () => {
  let redis: PrivateServer;
  let node: ServeNode;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    redis = await startPrivateRedis();
    [node, browser] = await Promise.all([startServeNode({ redisUrl: redis.url, concurrency: 2 }), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await node?.stop();
    await redis?.stop();
  });

  async function showTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
    await page.emulateMedia({ colorScheme: theme });
    await expect.poll(() => page.evaluate<string>('document.documentElement.dataset.theme')).toBe(theme);
  }

  const rebuiltWithJobs = (page: Page) => page.locator('li[data-kind="redis.rebuilt"]', { hasText: `${JOBS} jobs` });

  it('shows a Redis outage as one entry and a FLUSHALL as a rebuild with its job count; Diagnostics is clean after', async () => {
    for (let i = 0; i < JOBS; i++) {
      await node.call<Task>('tasks.create', {
        name: `e2e-later-${i}`,
        type: 'shell',
        command: 'true',
        schedule: { type: 'once', delayMs: 3_600_000 },
      });
    }
    // axe goes in as an inline script, which the page's CSP (script-src 'self') refuses.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    try {
      const { page, pageErrors } = await openApp(context, node);
      const consoleErrors: string[] = [];
      page.on('console', (msg) => {
        // The page's own reconnects while Redis restarts are not errors of the page.
        if (msg.type() === 'error') consoleErrors.push(msg.text());
      });
      await page.goto(`${node.baseUrl}/#/events`);
      await expectView(page, viewEntry('events'));
      const timeline = page.getByRole('list', { name: 'System events, newest first' });
      await timeline.locator('li[data-kind="node.started"]').waitFor({ timeout: UI_TIMEOUT_MS });

      // A restart of Redis: one entry with its start and end, live.
      const { port, dir } = redis;
      await redis.stop({ keepDir: true });
      const ongoing = timeline.locator('li[data-kind="redis.outage"].outage-ongoing');
      await ongoing.waitFor({ timeout: UI_TIMEOUT_MS });
      expect(await ongoing.textContent()).toMatch(/Redis down — ongoing/);
      await new Promise((r) => setTimeout(r, 1_000));
      redis = await startPrivateRedis({ port, dir });
      const ended = timeline.locator('li[data-kind="redis.outage"].outage-ended');
      await ended.waitFor({ timeout: UI_TIMEOUT_MS });
      expect(await ended.textContent()).toMatch(/Redis outage\d+\.\d s.*from \d\d:\d\d:\d\d to \d\d:\d\d:\d\d/);
      expect(await timeline.locator('li[data-kind="redis.outage"]').count()).toBe(1);
      // The restarted Redis has another run_id and no queues: rebuilt from MySQL.
      await rebuiltWithJobs(page).first().waitFor({ timeout: UI_TIMEOUT_MS });
      const rebuildsBefore = await rebuiltWithJobs(page).count();

      // FLUSHALL under the running node (its own private Redis): the rebuild shows, live.
      const client = new Redis(redis.url);
      try {
        await client.flushall();
      } finally {
        client.disconnect();
      }
      await expect.poll(() => rebuiltWithJobs(page).count(), { timeout: UI_TIMEOUT_MS }).toBe(rebuildsBefore + 1);
      expect(await rebuiltWithJobs(page).first().textContent()).toMatch(/generation marker missing/);

      // Filtered on the server: errors only leaves the outage (its down event), nothing else.
      await page.getByRole('combobox', { name: 'Level' }).selectOption('error');
      await expect
        .poll(async () => (await timeline.locator('li').evaluateAll((li) => li.map((l) => l.dataset.kind))).join())
        .toBe('redis.outage');
      await page.getByRole('combobox', { name: 'Level' }).selectOption('');
      await rebuiltWithJobs(page).first().waitFor({ timeout: UI_TIMEOUT_MS });

      for (const theme of THEMES) {
        await showTheme(page, theme);
        expect(await seriousAxeViolations(page), `events in ${theme}`).toEqual([]);
        await page.screenshot({ path: screenshotPath('events', theme), fullPage: true });
      }

      // Diagnostics: the check the view runs on opening finds Redis telling the truth.
      await page.goto(`${node.baseUrl}/#/diagnostics`);
      await expectView(page, viewEntry('diagnostics'));
      const verdict = page.getByRole('status').filter({ hasText: /Clean|disagree/ });
      await verdict.waitFor({ timeout: UI_TIMEOUT_MS });
      expect(await verdict.textContent()).toBe('Clean');
      const report = await node.call<DiagnosticsReport>('diagnostics.check', {});
      expect(report).toMatchObject({ clean: true, partial: false, redis: { examined: JOBS, total: JOBS } });

      // Repair now: a rebuild, its result, and a clean check after it.
      await page.getByRole('button', { name: 'Rebuild from MySQL' }).click();
      const result = page.locator('.repair-result');
      await result.waitFor({ timeout: UI_TIMEOUT_MS });
      expect(await result.textContent()).toMatch(
        new RegExp(`rebuilt the queues from MySQL: ${JOBS} job\\(s\\) in \\d+ ms`),
      );
      await page.getByRole('button', { name: 'Check again' }).waitFor({ timeout: UI_TIMEOUT_MS });
      await expect.poll(() => verdict.textContent(), { timeout: UI_TIMEOUT_MS }).toBe('Clean');

      for (const theme of THEMES) {
        await showTheme(page, theme);
        expect(await seriousAxeViolations(page), `diagnostics in ${theme}`).toEqual([]);
        await page.screenshot({ path: screenshotPath('diagnostics', theme), fullPage: true });
      }
      expect(pageErrors()).toEqual([]);
      expect(consoleErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
