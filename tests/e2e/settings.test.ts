import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/private-servers.mjs';
import { launchBrowser, openApp, testId, trackPageErrors, UI_TIMEOUT_MS } from './helpers/browser';
import { expectView, SCREENSHOT_DIR, screenshotPath, seriousAxeViolations, viewEntry } from './helpers/frame';
import { startServeNode, type ServeNode } from './helpers/serve-node';

/**
 * The Settings view and the first-run screen in Chromium against `tickr serve`: a test of a
 * refused port says exactly that, the headless node shows its settings read-only, and a node
 * that never reached MySQL opens on the connection screen.
 */
describe('web UI: settings and the first run', () => {
  let node: ServeNode;
  let fresh: ServeNode;
  let browser: Browser;
  let closedPort: number;

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    closedPort = await freePort();
    [node, fresh, browser] = await Promise.all([
      startServeNode(),
      // MySQL on a port nothing listens on: the node starts, waits for it, and has never connected.
      startServeNode({ mysqlUrl: `mysql://root@127.0.0.1:${closedPort}/tickr` }),
      launchBrowser(),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([node?.stop(), fresh?.stop()]);
  });

  async function showTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
    await page.emulateMedia({ colorScheme: theme });
    await expect.poll(() => page.evaluate<string>('document.documentElement.dataset.theme')).toBe(theme);
  }

  function consoleErrorsOf(page: Page): string[] {
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    return errors;
  }

  async function withContext<T>(fn: (context: BrowserContext) => Promise<T>): Promise<T> {
    // axe goes in as an inline script, which the page's CSP (script-src 'self') refuses.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    try {
      return await fn(context);
    } finally {
      await context.close();
    }
  }

  it('tests a refused port and says so precisely; the headless node is read-only', async () => {
    await withContext(async (context) => {
      const { page, pageErrors } = await openApp(context, node);
      const consoleErrors = consoleErrorsOf(page);
      await page.goto(`${node.baseUrl}/#/settings`);
      await expectView(page, viewEntry('settings'));
      await page.waitForSelector(testId('settings-read-only'), { timeout: UI_TIMEOUT_MS });
      expect(await page.getByRole('button', { name: 'Save and reconnect' }).count()).toBe(0);

      const redis = page.getByRole('region', { name: 'Redis' });
      await redis.getByLabel('Redis URL').fill(`redis://127.0.0.1:${closedPort}`);
      await redis.getByRole('button', { name: 'Test connection' }).click();
      const result = page.locator(testId('test-result-redis'));
      await result.waitFor({ timeout: UI_TIMEOUT_MS });
      expect(await result.textContent()).toBe(
        `Connection refused: the connection to 127.0.0.1:${closedPort} was refused: nothing listens on that port`,
      );

      // The node's own MySQL, tested as configured (its saved password, if any, is used server-side).
      await page
        .getByRole('region', { name: 'MySQL or MariaDB' })
        .getByRole('button', { name: 'Test connection' })
        .click();
      await expect
        .poll(() => page.locator(testId('test-result-mysql')).textContent(), { timeout: UI_TIMEOUT_MS })
        .toMatch(/^Connected to version \d+\.\d+/);

      for (const theme of ['light', 'dark'] as const) {
        await showTheme(page, theme);
        expect(await seriousAxeViolations(page)).toEqual([]);
        await page.screenshot({ path: screenshotPath('settings', theme), fullPage: true });
      }
      expect(pageErrors()).toEqual([]);
      expect(consoleErrors).toEqual([]);
    });
  });

  it('opens on the first-run screen when the node never reached MySQL', async () => {
    await withContext(async (context) => {
      const page = await context.newPage();
      const pageErrors = trackPageErrors(page);
      const consoleErrors = consoleErrorsOf(page);
      await page.goto(fresh.openUrl);
      await page.waitForSelector(testId('first-run'), { timeout: UI_TIMEOUT_MS });
      await page.waitForSelector(testId('health-mysql', { 'data-status': 'down' }), { timeout: UI_TIMEOUT_MS });
      const mysql = page.getByRole('region', { name: 'MySQL or MariaDB' });
      await mysql.getByRole('button', { name: 'Test connection' }).click();
      await expect
        .poll(() => page.locator(testId('test-result-mysql')).textContent(), { timeout: UI_TIMEOUT_MS })
        .toMatch(/^Connection refused: /);
      for (const theme of ['light', 'dark'] as const) {
        await showTheme(page, theme);
        expect(await seriousAxeViolations(page)).toEqual([]);
        await page.screenshot({ path: screenshotPath('first-run', theme), fullPage: true });
      }
      await page.getByRole('button', { name: 'Look around first' }).click();
      await page.getByRole('heading', { level: 2, name: 'Dashboard' }).waitFor({ timeout: UI_TIMEOUT_MS });
      expect(pageErrors()).toEqual([]);
      // The dashboard's reads are refused while MySQL is away (STORE_UNAVAILABLE, HTTP 503): the
      // browser logs each failed request; nothing else may be logged.
      expect(consoleErrors.filter((e) => !/status of 503/.test(e))).toEqual([]);
    });
  });
});
