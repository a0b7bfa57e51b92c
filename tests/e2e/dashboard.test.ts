import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateRedis, type PrivateServer } from '../../scripts/private-servers.mjs';
import { waitFor } from '../helpers/services';
import { launchBrowser, openApp, testId, UI_TIMEOUT_MS } from './helpers/browser';
import { expectView, SCREENSHOT_DIR, screenshotPath, seriousAxeViolations, viewEntry } from './helpers/frame';
import { startServeNode, type ServeNode } from './helpers/serve-node';

const VIEWPORT = { width: 1280, height: 800 };

/**
 * The dashboard in Chromium against `tickr serve` on a private redis-server (never the shared
 * one: this test stops it) and the shared MariaDB: it shows the data, is axe clean in both themes,
 * and shows Redis down within 2 s of its stop and up again after its restart.
 */
describe('web UI: the dashboard', () => {
  let redis: PrivateServer;
  let node: ServeNode;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: () => string[];
  const consoleErrors: string[] = [];
  /** How many jobs succeeded (the first run and three manual ones, which overlap allows side by side). */
  let succeeded = 0;

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    redis = await startPrivateRedis();
    [node, browser] = await Promise.all([startServeNode({ redisUrl: redis.url }), launchBrowser()]);
    // Some history: jobs that succeeded and one that failed, and cron tasks of which two share minutes.
    const ok = await node.call<{ id: string }>('tasks.create', {
      name: 'backup-notes',
      type: 'shell',
      command: 'true',
      // Its manual runs must all run: under overlap 'skip' one that is claimed while the first
      // run still runs would be skipped, and the history would depend on timing.
      overlap: 'allow',
    });
    await node.call('tasks.create', { name: 'flaky-sync', type: 'shell', command: 'exit 1', maxAttempts: 1 });
    for (let i = 0; i < 3; i++) await node.call('tasks.runNow', { id: ok.id });
    for (const [name, expr] of [
      ['rotate-logs', '0 * * * *'],
      ['refresh-cache', '*/20 * * * *'],
      ['nightly-report', '30 2 * * *'],
    ])
      await node.call('tasks.create', {
        name,
        type: 'shell',
        command: 'true',
        schedule: { type: 'cron', expr, timezone: 'UTC' },
      });
    await waitFor(
      async () => {
        const { counts } = await node.call<{ counts: Record<string, number> }>('jobs.counts');
        succeeded = counts.succeeded ?? 0;
        return succeeded >= 3 && counts.failed === 1 && counts.running === 0 && counts.ready === 0;
      },
      { what: 'the jobs to finish', timeoutMs: 30_000 },
    );
    // axe goes in as an inline script, which the page's CSP (script-src 'self') refuses.
    context = await browser.newContext({ viewport: VIEWPORT, bypassCSP: true });
    ({ page, pageErrors } = await openApp(context, node));
    page.on('response', (res) => {
      if (res.status() >= 400) consoleErrors.push(`HTTP ${res.status()} ${res.url()}`);
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await node?.stop();
    await redis?.stop();
  });

  const redisCard = (status: string) => `${testId('card-redis')} [data-status="${status}"]`;

  it('shows the services, counts, throughput, upcoming runs and nodes; axe clean in light and dark', async () => {
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.goto(`${node.baseUrl}/#/dashboard`);
      await expectView(page, viewEntry('dashboard'));
      await expect.poll(() => page.evaluate<string>('document.documentElement.dataset.theme')).toBe(theme);
      await page.waitForSelector(redisCard('up'), { timeout: UI_TIMEOUT_MS });
      await page.waitForSelector(`${testId('card-mysql')} [data-status="up"]`, { timeout: UI_TIMEOUT_MS });
      const summary = page.getByTestId('throughput-summary');
      await expect.poll(() => summary.textContent()).toBe(`${succeeded} succeeded and 1 failed in the last hour`);
      expect(await page.getByTestId('count-succeeded').locator('dd').textContent()).toBe(String(succeeded));
      expect(await page.getByTestId('count-failed').locator('dd').textContent()).toBe('1');
      await expect.poll(() => page.getByTestId('upcoming-summary').textContent()).toMatch(/runs of 3 tasks/);
      // rotate-logs and refresh-cache both start at every full hour.
      expect(await page.locator('.upcoming-list li[data-clash="true"]').count()).toBeGreaterThan(0);
      expect(await page.getByRole('row', { name: /e2e-node/ }).textContent()).toMatch(/alive/);
      const redisFacts = await page.getByTestId('card-redis').textContent();
      expect(redisFacts).toMatch(/Version\d+\.\d+/);
      expect(redisFacts).toContain('none: a restart empties it');
      // The canvas is drawn (uPlot), not only the text alternative.
      expect(await page.locator('.throughput-card canvas').count()).toBeGreaterThan(0);
      expect(await seriousAxeViolations(page), theme).toEqual([]);
      await page.screenshot({ path: screenshotPath('dashboard-data', theme), fullPage: true });
    }
  });

  it('shows Redis down within 2 s of its stop, and up again after it restarts', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.waitForSelector(redisCard('up'), { timeout: UI_TIMEOUT_MS });
    const { port, dir } = redis;
    const stopped = Date.now();
    await redis.stop({ keepDir: true });
    await page.waitForSelector(redisCard('down'), { timeout: 2_000 });
    expect(Date.now() - stopped).toBeLessThan(2_000);
    redis = await startPrivateRedis({ dir, port });
    await page.waitForSelector(redisCard('up'), { timeout: UI_TIMEOUT_MS });
    // The restart lost Redis's state (no persistence): the card says so, with the rebuild's size.
    await expect
      .poll(() => page.getByTestId('card-redis').textContent(), { timeout: UI_TIMEOUT_MS })
      .toMatch(/ago · rebuilt \d+ jobs? in \d+ ms/);
    expect(pageErrors()).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 90_000);
});
