import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Task } from '../../src/shared/types';
import { launchBrowser, openApp, testId, UI_TIMEOUT_MS } from './helpers/browser';
import { navLink } from './helpers/frame';
import { jobOfTask } from './helpers/jobs';
import { startServeNode, type ServeNode } from './helpers/serve-node';

const SCREENSHOT = '/tmp/tickr-e2e.png';

/** Jobs created from the web UI and over HTTP, followed live in the page. */
describe('web UI: jobs', () => {
  let node: ServeNode;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    node = await startServeNode();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await node?.stop();
  });

  const openPage = () => openApp(context, node);

  it('creates a shell task from the form; its job goes live to succeeded and its log shows the output', async () => {
    const { page, pageErrors } = await openPage();
    await page.waitForSelector('text=No jobs yet.', { timeout: UI_TIMEOUT_MS });

    // From here on the page must update itself from WebSocket events: no reload, no re-listing.
    await page.evaluate('window.e2eSamePage = true');
    let listCalls = 0;
    page.on('request', (req) => {
      if (new URL(req.url()).pathname === '/api/jobs.list') listCalls += 1;
    });

    const name = `e2e-hello-${randomBytes(3).toString('hex')}`;
    // The editor is on the Tasks view, the job list on the Jobs view: both are reached by changing
    // the fragment only, so this stays the same page.
    await navLink(page, 'Tasks').click();
    await page.evaluate("location.hash = '#/tasks/new'");
    const editor = page.getByRole('form', { name: 'New task' });
    await editor.getByRole('textbox', { name: 'Name' }).fill(name);
    await editor.getByRole('textbox', { name: 'Command' }).fill('echo hello-e2e');
    await editor.getByRole('radio', { name: 'Once' }).check();
    await editor.getByRole('button', { name: 'Create task' }).click();
    // The editor goes back to the list once tasks.create succeeded.
    await page.waitForURL(/#\/tasks$/, { timeout: UI_TIMEOUT_MS });

    const { task, job } = await jobOfTask(node, name);
    expect(task.command).toBe('echo hello-e2e');
    await navLink(page, 'Jobs').click();
    const row = testId('job-row', { 'data-job-id': job.id });
    await page.waitForSelector(row, { timeout: UI_TIMEOUT_MS });
    await page.waitForSelector(testId('job-row', { 'data-job-id': job.id, 'data-status': 'succeeded' }), {
      timeout: UI_TIMEOUT_MS,
    });
    expect(await page.textContent(`${row} .job-status`)).toBe('succeeded');

    expect(await page.evaluate<unknown>('window.e2eSamePage')).toBe(true);
    expect(listCalls).toBe(0);

    await page.click(row);
    await page.waitForSelector(testId('job-log', { 'data-job-id': job.id }), { timeout: UI_TIMEOUT_MS });
    await expect
      .poll(() => page.locator(`${testId('job-log')} .log-stdout`).allTextContents(), { timeout: UI_TIMEOUT_MS })
      .toContain('hello-e2e\n');
    expect(pageErrors()).toEqual([]);
    await page.close();
  });

  it('shows a task that fails (exit 3, one attempt, created over HTTP) as failed in the job list', async () => {
    const { page, pageErrors } = await openPage();
    await navLink(page, 'Jobs').click();
    // The page has loaded its list before the task exists: the failed job must arrive through events.
    await page.locator('table.jobs').or(page.getByText('No jobs yet.')).first().waitFor({ timeout: UI_TIMEOUT_MS });

    const name = `e2e-fail-${randomBytes(3).toString('hex')}`;
    const task = await node.call<Task>('tasks.create', { name, type: 'shell', command: 'exit 3', maxAttempts: 1 });
    expect(task.maxAttempts).toBe(1);
    const { job } = await jobOfTask(node, name);

    const row = testId('job-row', { 'data-job-id': job.id });
    await page.waitForSelector(testId('job-row', { 'data-job-id': job.id, 'data-status': 'failed' }), {
      timeout: UI_TIMEOUT_MS,
    });
    expect(await page.textContent(`${row} .job-status`)).toBe('failed');
    expect(await page.locator(`${row} td`).nth(3).textContent()).toBe('1/1');
    // The API agrees, and the job is final: no retry was scheduled.
    expect(await node.call<Job>('jobs.get', { id: job.id })).toMatchObject({
      status: 'failed',
      attempt: 1,
      exitCode: 3,
    });

    await page.click(row);
    await expect
      .poll(async () => (await page.textContent(testId('job-log', { 'data-job-id': job.id })).catch(() => '')) ?? '', {
        timeout: UI_TIMEOUT_MS,
      })
      .toMatch(/exited with code 3\b/);

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(pageErrors()).toEqual([]);
    await page.close();
  });
});
