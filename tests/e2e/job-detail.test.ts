import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, JobDetail, Page as ListPage, Task } from '../../src/shared/types';
import { waitFor } from '../helpers/services';
import { launchBrowser, openApp, testId, UI_TIMEOUT_MS } from './helpers/browser';
import { screenshotPath, seriousAxeViolations } from './helpers/frame';
import { startServeNode, type ServeNode } from './helpers/serve-node';

const SECRET = 'tk_e2e_secret_7c6b5a49';

/** The job page against a real `tickr serve`: an overlap-skipped occurrence's reason, an HTTP task's inspector. */
describe('web UI: the job page', () => {
  let node: ServeNode;
  let browser: Browser;
  let context: BrowserContext;
  let server: Server;
  let port = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-served-by': 'e2e-local' });
      res.end(JSON.stringify({ status: 'ok', queue: { depth: 3, oldestMs: 1200 }, workers: ['a', 'b'] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    node = await startServeNode();
    browser = await launchBrowser();
    // axe goes in as an inline script, which the page's CSP (script-src 'self') refuses.
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await node?.stop();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  /** The app, with its console errors collected beside its page errors. */
  async function open(): Promise<{ page: Page; errors: () => string[] }> {
    const { page, pageErrors } = await openApp(context, node);
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    return { page, errors: () => [...pageErrors(), ...consoleErrors] };
  }

  async function showJob(page: Page, id: string): Promise<void> {
    await page.evaluate(`location.hash = '#/jobs/${id}'`);
    await page.waitForSelector(testId('job-head'), { timeout: UI_TIMEOUT_MS });
    await page.getByRole('heading', { name: `Job ${id}`, exact: true }).waitFor({ timeout: UI_TIMEOUT_MS });
  }

  async function shoot(page: Page, name: string): Promise<void> {
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await expect.poll(() => page.evaluate<string>('document.documentElement.dataset.theme')).toBe(theme);
      await page.screenshot({ path: screenshotPath(name, theme), fullPage: true });
      expect(await seriousAxeViolations(page), `${name} in ${theme}`).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  it('says on its page why an overlap-skipped occurrence did not run', async () => {
    const { page, errors } = await open();
    const task = await node.call<Task>('tasks.create', {
      name: `e2e-overlap-${randomBytes(3).toString('hex')}`,
      type: 'shell',
      command: 'echo "backing up $REGION"; sleep 2.5; echo done',
      env: { API_TOKEN: { value: SECRET, secret: true }, REGION: 'eu-west-1' },
      schedule: { type: 'interval', everyMs: 1_000 },
      overlap: 'skip',
    });
    const jobsOf = async (status: string): Promise<Job[]> =>
      (await node.call<ListPage<Job>>('jobs.list', { taskId: task.id, status, limit: 50 })).items;
    const skipped = await waitFor(async () => (await jobsOf('skipped'))[0] ?? null, {
      timeoutMs: UI_TIMEOUT_MS,
      intervalMs: 200,
      what: 'an overlap-skipped occurrence',
    });
    const ran = await waitFor(async () => (await jobsOf('succeeded'))[0] ?? null, {
      timeoutMs: UI_TIMEOUT_MS,
      intervalMs: 250,
      what: 'a finished run',
    });
    // Enough seen: the task stops making occurrences, so the pages below stand still.
    await node.call('tasks.pause', { id: task.id });

    await showJob(page, skipped.id);
    const reason = page.locator(testId('job-reason', { 'data-kind': 'skipped' }));
    await reason.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await reason.textContent()).toContain('Skipped: the previous run was still going');
    expect(await page.textContent(testId('exit-banner'))).toContain('Skipped: it did not run');
    await page.locator(testId('neighbour-prev')).waitFor({ timeout: UI_TIMEOUT_MS });

    // A shell job that ran: its head, its environment with the secret as ***, its log.
    await showJob(page, ran.id);
    await page.locator(testId('exit-banner', { 'data-kind': 'exit' })).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.textContent(testId('exit-banner'))).toContain('Exit code 0');
    const env = page.locator(testId('attempt-environment'));
    await env.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await env.locator(testId('env-row', { 'data-secret': 'true' })).textContent()).toBe('API_TOKEN***task');
    expect(await page.textContent('body')).not.toContain(SECRET);
    await expect
      .poll(() => page.locator(`${testId('job-log')} .log-stdout`).allTextContents(), { timeout: UI_TIMEOUT_MS })
      .toContain('done\n');
    await page.getByRole('link', { name: task.name }).waitFor({ timeout: UI_TIMEOUT_MS });
    await shoot(page, 'job');

    expect(errors()).toEqual([]);
    await page.close();
  });

  it("shows an HTTP task's exchange in its inspector, the secret header and URL key as ***", async () => {
    const { page, errors } = await open();
    const task = await node.call<Task>('tasks.create', {
      name: `e2e-http-${randomBytes(3).toString('hex')}`,
      type: 'http',
      http: {
        method: 'GET',
        url: `http://127.0.0.1:${port}/health?api_key=${SECRET}&verbose=1`,
        headers: { Authorization: { value: `Bearer ${SECRET}`, secret: true }, Accept: 'application/json' },
      },
      maxAttempts: 1,
    });
    const job = await waitFor(
      async () => {
        const first = (await node.call<ListPage<Job>>('jobs.list', { taskId: task.id, limit: 1 })).items[0];
        if (!first) return null;
        const detail = await node.call<JobDetail>('jobs.get', { id: first.id });
        return detail.status === 'succeeded' ? detail : null;
      },
      { timeoutMs: UI_TIMEOUT_MS, intervalMs: 200, what: 'the http job to succeed' },
    );
    expect(JSON.stringify(job)).not.toContain(SECRET);

    await showJob(page, job.id);
    const inspector = page.locator(testId('http-inspector'));
    await inspector.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.textContent(testId('http-url'))).toBe(`http://127.0.0.1:${port}/health?api_key=***&verbose=1`);
    expect(await page.textContent(testId('http-status'))).toBe('200 OK');
    expect(await page.textContent(testId('http-ttfb'))).toMatch(/^\d+ ms$/);
    const requestHeaders = inspector.getByRole('table', { name: 'Request headers' });
    expect(await requestHeaders.getByRole('row', { name: /Authorization/ }).textContent()).toBe('Authorization***');
    expect(await inspector.getByRole('table', { name: 'Response headers' }).textContent()).toContain('e2e-local');
    expect(await page.textContent(testId('http-body'))).toContain('"queue": {\n    "depth": 3,');
    expect(await page.textContent('body')).not.toContain(SECRET);
    await shoot(page, 'http-inspector');

    expect(errors()).toEqual([]);
    await page.close();
  });
});
