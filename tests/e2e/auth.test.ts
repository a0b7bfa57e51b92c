import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, testId, trackPageErrors, UI_TIMEOUT_MS } from './helpers/browser';
import { startServeNode, type ServeNode } from './helpers/serve-node';

/** How the web UI served by `tickr serve` gets, keeps and lacks its API token. */
describe('web UI: the API token', () => {
  let node: ServeNode;
  let browser: Browser;

  beforeAll(async () => {
    node = await startServeNode();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  it('opens with #token=…, shows Redis and MySQL up, strips the token from the address bar and keeps working after a reload', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const pageErrors = trackPageErrors(page);
      await page.goto(node.openUrl);

      await page.waitForSelector(testId('health-redis', { 'data-status': 'up' }), { timeout: UI_TIMEOUT_MS });
      await page.waitForSelector(testId('health-mysql', { 'data-status': 'up' }), { timeout: UI_TIMEOUT_MS });
      expect(await page.textContent(testId('health-node'))).toContain('e2e-node');

      // The token left the address bar (history, bookmarks, screenshots) but stayed in the tab.
      expect(await page.evaluate<string>('location.hash')).toBe('');
      expect(page.url()).not.toContain(node.token);
      expect(await page.evaluate<string | null>("sessionStorage.getItem('tickr.token')")).toBe(node.token);

      await page.reload();
      expect(page.url()).not.toContain(node.token);
      // A fresh load after the reload: the status comes from a new, authenticated health.get.
      await page.waitForSelector(testId('health-redis', { 'data-status': 'up' }), { timeout: UI_TIMEOUT_MS });
      await page.waitForSelector(testId('health-mysql', { 'data-status': 'up' }), { timeout: UI_TIMEOUT_MS });
      await page.waitForSelector('text=No jobs yet.', { timeout: UI_TIMEOUT_MS });
      expect(await page.locator(testId('auth-required')).count()).toBe(0);
      expect(pageErrors()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('without a token shows a clear "no token" notice instead of a blank page', async () => {
    // A fresh context: no sessionStorage from the test above.
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const pageErrors = trackPageErrors(page);
      const apiCalls: string[] = [];
      page.on('request', (req) => {
        if (new URL(req.url()).pathname.startsWith('/api/')) apiCalls.push(req.url());
      });
      await page.goto(`${node.baseUrl}/`);

      const notice = await page.waitForSelector(testId('auth-required', { 'data-reason': 'missing' }), {
        timeout: UI_TIMEOUT_MS,
      });
      const text = (await notice.textContent()) ?? '';
      expect(text).toMatch(/no api token/i);
      expect(text).toContain('#token=');
      // The app still rendered around the notice (not a blank page), and did not crash.
      expect(await page.textContent('h1')).toBe('Tickr');
      expect(await page.locator(testId('task-create')).count()).toBe(0);
      expect(pageErrors()).toEqual([]);
      // Knowing it has no token, the page does not hammer the API with doomed requests.
      expect(apiCalls).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('with a wrong token shows that the token was refused', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const pageErrors = trackPageErrors(page);
      await page.goto(`${node.baseUrl}/#token=not-the-right-token-0123456789`);

      const notice = await page.waitForSelector(testId('auth-required', { 'data-reason': 'invalid' }), {
        timeout: UI_TIMEOUT_MS,
      });
      expect(await notice.textContent()).toMatch(/refused/i);
      expect(await page.evaluate<string>('location.hash')).toBe('');
      expect(pageErrors()).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
