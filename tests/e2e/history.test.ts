import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkOperation, Health, Job, Page as ListPage, Task } from '../../src/shared/types';
import { tempDir } from '../helpers/services';
import { launchBrowser, openApp, testId, UI_TIMEOUT_MS } from './helpers/browser';
import { SCREENSHOT_DIR, screenshotPath, seriousAxeViolations } from './helpers/frame';
import { seedJobs } from './helpers/seed-jobs';
import { startServeNode, type ServeNode } from './helpers/serve-node';

const VIEWPORT = { width: 1280, height: 800 };
const THEMES = ['light', 'dark'] as const;
const FAILED = 300;
/** The longest main-thread task allowed while 100,000 rows load and scroll. */
const LONG_TASK_LIMIT_MS = 200;

/** The Jobs view's history against a real node: server filters, the bulk retry, 100,000 rows. */
describe('web UI: job history', () => {
  let node: ServeNode;
  let browser: Browser;
  let context: BrowserContext;
  let nodeId: string;
  const flagDir = tempDir('tickr-e2e-history');
  const flag = path.join(flagDir.path, 'fixed');

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    [node, browser] = await Promise.all([startServeNode({ concurrency: 2 }), launchBrowser()]);
    // axe goes in as an inline script, which the page's CSP (script-src 'self') refuses.
    context = await browser.newContext({ viewport: VIEWPORT, bypassCSP: true });
    nodeId = (await node.call<Health>('health.get')).node.id;
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await node?.stop();
    flagDir.remove();
  });

  /** A task that makes no job of its own until asked: its one run is due in years. */
  function createTask(name: string, command: string): Promise<Task> {
    return node.call<Task>('tasks.create', {
      name,
      type: 'shell',
      command,
      maxAttempts: 1,
      overlap: 'allow',
      schedule: { type: 'once', at: '2099-01-01T00:00:00Z' },
    });
  }

  /** The page, with its uncaught errors and console errors collected. */
  async function openPage(): Promise<{ page: Page; errors: () => string[] }> {
    const { page, pageErrors } = await openApp(context, node);
    const consoleErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    return { page, errors: () => [...pageErrors(), ...consoleErrors] };
  }

  async function countOf(page: Page): Promise<{ count: number; more: boolean }> {
    const el = page.locator(testId('jobs-count'));
    return {
      count: Number(await el.getAttribute('data-count')),
      more: (await el.getAttribute('data-more')) === 'true',
    };
  }

  async function allJobs(filter: Record<string, string>): Promise<Job[]> {
    const jobs: Job[] = [];
    let cursor: string | null = null;
    do {
      const page: ListPage<Job> = await node.call<ListPage<Job>>('jobs.list', {
        limit: 1000,
        ...filter,
        ...(cursor === null ? {} : { cursor }),
      });
      jobs.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return jobs;
  }

  it('filters 10,000 jobs down to the failed ones of a task, retries them all with progress, and sees them run', async () => {
    const suffix = randomBytes(3).toString('hex');
    const flaky = await createTask(`e2e-flaky-${suffix}`, `test -f '${flag}'`);
    const steady = await createTask(`e2e-steady-${suffix}`, 'true');
    const now = Date.now();
    const seeded = await seedJobs(node, [
      { taskId: steady.id, status: 'succeeded', count: 5_000, endAt: new Date(now - 3_600_000), nodeId },
      { taskId: flaky.id, status: 'failed', count: FAILED, endAt: new Date(now - 1_800_000), nodeId },
      { taskId: steady.id, status: 'succeeded', count: 4_697, endAt: new Date(now - 60_000), nodeId },
      // The newest three ran far longer than the task's p95: flagged in the list.
      { taskId: steady.id, status: 'succeeded', count: 3, endAt: new Date(now - 1_000), durationMs: 4_000, nodeId },
    ]);
    console.log(`[measure] history seed 10,000 jobs: ${seeded.ms} ms`);

    const { page, errors } = await openPage();
    await page.evaluate("location.hash = '#/jobs'");
    await page.locator(testId('job-row')).first().waitFor({ timeout: UI_TIMEOUT_MS });

    // Narrowed on the server: the task by name, then the status; each goes into the URL.
    await page.getByRole('combobox', { name: 'Task' }).selectOption({ label: flaky.name });
    await page.getByRole('combobox', { name: 'Status' }).selectOption('failed');
    await page.waitForURL(new RegExp(`#/jobs\\?task=${flaky.id}&status=failed$`), { timeout: UI_TIMEOUT_MS });
    await expect
      .poll(
        async () =>
          new Set(
            await page.locator(testId('job-row')).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status'))),
          ),
        {
          timeout: UI_TIMEOUT_MS,
        },
      )
      .toEqual(new Set(['failed']));
    expect(await countOf(page)).toEqual({ count: 100, more: true });
    expect(
      await page
        .locator(`${testId('job-row')} .job-task a`)
        .first()
        .textContent(),
    ).toBe(flaky.name);

    // The filter survives a reload.
    await page.reload();
    await page
      .locator(testId('job-row', { 'data-status': 'failed' }))
      .first()
      .waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.getByRole('combobox', { name: 'Status' }).inputValue()).toBe('failed');

    // The dry run counts every failed job of the task, not the 100 loaded.
    await page.getByRole('button', { name: 'Retry failed…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Retry failed jobs' });
    await dialog.getByText(`This retries ${FAILED} jobs`).waitFor({ timeout: UI_TIMEOUT_MS });
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      await expect.poll(() => page.evaluate<string>('document.documentElement.dataset.theme')).toBe(theme);
      expect(await seriousAxeViolations(page), `the bulk dialog in ${theme}`).toEqual([]);
      await page.screenshot({ path: screenshotPath('bulk', theme) });
    }
    await page.emulateMedia({ colorScheme: 'light' });

    // The fix: from now on the task's command succeeds.
    writeFileSync(flag, 'ok\n');
    // Every reading of the progress bar, from the page itself, so a quick run is not missed.
    await page.evaluate(`
      window.e2eProgress = [];
      window.e2eProgressTimer = setInterval(() => {
        const bar = document.querySelector('[data-testid="bulk-progress"] progress');
        if (bar) window.e2eProgress.push(Number(bar.getAttribute('value')));
      }, 5);
    `);
    // A double click starts it once: the second click lands on a disabled button.
    await dialog.getByRole('button', { name: `Retry ${FAILED} jobs` }).dblclick();
    const summary = dialog.locator(testId('bulk-summary', { 'data-state': 'finished' }));
    await summary.waitFor({ timeout: 60_000 });
    expect(await summary.textContent()).toBe(`Retried ${FAILED} jobs. Done.`);
    const readings = await page.evaluate<number[]>('clearInterval(window.e2eProgressTimer), window.e2eProgress');
    expect(readings.length).toBeGreaterThan(0);
    expect(Math.max(...readings)).toBeLessThanOrEqual(FAILED);
    const ops = (await node.call<{ items: BulkOperation[] }>('jobs.bulkList')).items;
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ action: 'retry', total: FAILED, done: FAILED, state: 'finished' });

    await dialog.getByRole('button', { name: 'Close' }).click();
    // The retries are new jobs of the task: they show up live under "succeeded".
    await page.getByRole('combobox', { name: 'Status' }).selectOption('succeeded');
    await page
      .locator(testId('job-row', { 'data-status': 'succeeded' }))
      .first()
      .waitFor({ timeout: UI_TIMEOUT_MS });
    await expect
      .poll(async () => (await allJobs({ taskId: flaky.id, status: 'succeeded' })).length, { timeout: 120_000 })
      .toBe(FAILED);
    // Each failed job was retried once; none is left to retry.
    expect(
      (
        await node.call<{ matching: number }>('jobs.bulkPreview', {
          action: 'retry',
          filter: { taskId: flaky.id, status: 'failed' },
        })
      ).matching,
    ).toBe(0);
    await expect
      .poll(() =>
        page
          .locator(testId('job-row'))
          .evaluateAll((rows) => rows.every((r) => r.getAttribute('data-status') === 'succeeded')),
      )
      .toBe(true);

    // The history on one node, over a time range: real runs on top, the seeded ones below, the slow ones flagged.
    const from = new Date(now - 2 * 3_600_000).toISOString();
    await page.evaluate(`location.hash = '#/jobs?node=${nodeId}&from=${encodeURIComponent(from)}'`);
    await page
      .locator(testId('job-row', { 'data-status': 'succeeded' }))
      .first()
      .waitFor({ timeout: UI_TIMEOUT_MS });
    // The seeded slow runs are just below the retries: reach the next page, then scroll to them.
    await page.evaluate(`document.querySelector('[data-keyboard-list="jobs"]').scrollTop = 1e6`);
    await expect.poll(async () => (await countOf(page)).count, { timeout: UI_TIMEOUT_MS }).toBeGreaterThan(FAILED + 10);
    await page.evaluate(`document.querySelector('[data-keyboard-list="jobs"]').scrollTop = 36 * ${FAILED - 8}`);
    await page.locator('.job-duration-slow').first().waitFor({ timeout: UI_TIMEOUT_MS });
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      await expect.poll(() => page.evaluate<string>('document.documentElement.dataset.theme')).toBe(theme);
      expect(await seriousAxeViolations(page), `the history in ${theme}`).toEqual([]);
      await page.screenshot({ path: screenshotPath('jobs', theme) });
    }
    await page.emulateMedia({ colorScheme: 'light' });

    expect(errors()).toEqual([]);
    await page.close();
  }, 300_000);

  it('loads 100,000 rows page by page and scrolls through them without a long task', async () => {
    const bulk = await createTask(`e2e-many-${randomBytes(3).toString('hex')}`, 'true');
    const seeded = await seedJobs(node, [
      { taskId: bulk.id, status: 'succeeded', count: 100_000, endAt: new Date(), stepMs: 100, nodeId },
    ]);
    console.log(`[measure] history seed 100,000 jobs: ${seeded.ms} ms`);

    const { page, errors } = await openPage();
    await page.evaluate("location.hash = '#/dashboard'");
    // From the change of route to the first rows on screen.
    const firstPageMs = await page.evaluate<number>(`new Promise((resolve) => {
      const started = performance.now();
      const check = () => {
        if (document.querySelector('[data-testid="job-row"][data-job-id]') && document.querySelector('[data-testid="jobs-count"]'))
          requestAnimationFrame(() => resolve(Math.round(performance.now() - started)));
        else requestAnimationFrame(check);
      };
      location.hash = '#/jobs?task=${bulk.id}';
      check();
    })`);
    console.log(`[measure] history first page (100 rows of 100,000): rendered in ${firstPageMs} ms`);

    const result = await page.evaluate<{
      longest: number;
      longTasks: number;
      loadMs: number;
      scrollMs: number;
      count: number;
      rows: number;
      byPhase: string;
    }>(`(async () => {
      const list = document.querySelector('[data-keyboard-list="jobs"]');
      const counter = () => document.querySelector('[data-testid="jobs-count"]');
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      const durations = [];
      let phase = 'load';
      const byPhase = { load: [], scroll: [] };
      const observer = new PerformanceObserver((entries) => {
        for (const entry of entries.getEntries()) {
          durations.push(entry.duration);
          byPhase[phase].push(Math.round(entry.duration));
        }
      });
      observer.observe({ type: 'longtask' });
      // Load every page as a user would: by reaching the end of what is loaded.
      const loadStarted = performance.now();
      while (counter().dataset.more === 'true') {
        list.scrollTop = list.scrollHeight;
        await frame();
        if (performance.now() - loadStarted > 240000) break;
      }
      const loadMs = performance.now() - loadStarted;
      // Then through the whole list, top to bottom, twelve screens per frame: a fling, and every
      // stretch of the list is rendered from scratch each frame (six took 30 s on a slow machine).
      phase = 'scroll';
      const scrollStarted = performance.now();
      list.scrollTop = 0;
      await frame();
      const step = Math.round(list.clientHeight * 12);
      for (let top = 0; top < list.scrollHeight; top += step) {
        list.scrollTop = top;
        await frame();
      }
      list.scrollTop = list.scrollHeight;
      await frame();
      const scrollMs = performance.now() - scrollStarted;
      await new Promise((resolve) => setTimeout(resolve, 100));
      observer.disconnect();
      return {
        longest: Math.round(Math.max(0, ...durations)),
        longTasks: durations.length,
        loadMs: Math.round(loadMs),
        scrollMs: Math.round(scrollMs),
        count: Number(counter().dataset.count),
        rows: document.querySelectorAll('[data-testid="job-row"]').length,
        byPhase: JSON.stringify(byPhase),
      };
    })()`);
    console.log(
      `[measure] history scroll 100k rows: longest task ${result.longest} ms (${result.longTasks} long tasks); ` +
        `loading 100 pages took ${result.loadMs} ms, scrolling top to bottom ${result.scrollMs} ms ${result.byPhase}`,
    );
    // The seeded jobs and the task's own occurrence, due in 2099.
    expect(result.count).toBe((await allJobs({ taskId: bulk.id })).length);
    expect(result.count).toBe(100_001);
    // Virtualized: a screenful and the overscan in the DOM, not 100,000 rows.
    expect(result.rows).toBeLessThan(80);
    expect(result.longest).toBeLessThan(LONG_TASK_LIMIT_MS);
    // The last row is the oldest job: the list reached the end.
    expect(await page.locator(testId('job-row')).last().getAttribute('data-job-id')).toBe(
      (await allJobsOldest(bulk.id)) ?? '',
    );
    expect(errors()).toEqual([]);
    await page.close();
  }, 400_000);

  /** The id of the oldest job of a task, through the API. */
  async function allJobsOldest(taskId: string): Promise<string | undefined> {
    return (await allJobs({ taskId })).at(-1)?.id;
  }
});
