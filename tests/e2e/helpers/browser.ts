import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { ServeNode } from './serve-node';

/** Chromium from the system (playwright-core downloads no browser). Override with TICKR_E2E_CHROMIUM. */
export const CHROMIUM_PATH = process.env.TICKR_E2E_CHROMIUM ?? '/usr/bin/chromium';

/** Generous: two cores share Chromium, the node, Redis and MariaDB. */
export const UI_TIMEOUT_MS = 45_000;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Collects uncaught page errors (a crash of the React app shows up here), so a test can assert
 * there were none. Console messages are not collected: a 401 answer logs one by design.
 */
export function trackPageErrors(page: Page): () => string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return () => [...errors];
}

/** A CSS selector for a data-testid, with optional extra attributes: testId('job-row', { 'data-status': 'failed' }). */
export function testId(id: string, attrs: Record<string, string> = {}): string {
  return `[data-testid="${id}"]${Object.entries(attrs)
    .map(([k, v]) => `[${k}="${v}"]`)
    .join('')}`;
}

/**
 * A new page at the address the node printed (`/#token=…`), once the page shows Redis and MySQL up,
 * with its uncaught errors collected.
 */
export async function openApp(
  context: BrowserContext,
  node: ServeNode,
): Promise<{ page: Page; pageErrors: () => string[] }> {
  const page = await context.newPage();
  const pageErrors = trackPageErrors(page);
  await page.goto(node.openUrl);
  await page.waitForSelector(testId('health-redis', { 'data-status': 'up' }), { timeout: UI_TIMEOUT_MS });
  await page.waitForSelector(testId('health-mysql', { 'data-status': 'up' }), { timeout: UI_TIMEOUT_MS });
  return { page, pageErrors };
}
