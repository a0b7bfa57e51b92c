import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Page as ListPage, Task } from '../../src/shared/types';
import { launchBrowser, openApp, testId, UI_TIMEOUT_MS } from './helpers/browser';
import { expectView, SCREENSHOT_DIR, screenshotPath, seriousAxeViolations, viewEntry } from './helpers/frame';
import { startServeNode, type ServeNode } from './helpers/serve-node';

const JOBS = 200;
/** Of the 200, this many belong to a `this-node` task, so that the pinned queues are seen too. */
const PINNED = 20;
const LANES = ['waiting', 'ready', 'running'] as const;
type Counts = Record<(typeof LANES)[number], number>;

/**
 * The Queues view in Chromium against `tickr serve` (real Redis and MariaDB): 200 jobs created at
 * once stream through the lanes — each fails its first attempt, waits out its retry, then runs
 * again and succeeds — and every lane ends empty, live from engine events.
 */
describe('web UI: the queue lanes', () => {
  let node: ServeNode;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    [node, browser] = await Promise.all([startServeNode({ concurrency: 4 }), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  async function laneCounts(page: Page): Promise<Counts> {
    const counts = await Promise.all(
      LANES.map(async (lane) => Number(await page.getAttribute(testId(`lane-${lane}`), 'data-count'))),
    );
    return { waiting: counts[0]!, ready: counts[1]!, running: counts[2]! };
  }

  async function showTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
    await page.emulateMedia({ colorScheme: theme });
    await expect.poll(() => page.evaluate<string>('document.documentElement.dataset.theme')).toBe(theme);
  }

  it(`streams ${JOBS} jobs created at once through waiting, ready and running, and every lane ends empty`, async () => {
    // axe goes in as an inline script, which the page's CSP (script-src 'self') refuses.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    try {
      const { page, pageErrors } = await openApp(context, node);
      const consoleErrors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') consoleErrors.push(msg.text());
      });
      let snapshotReads = 0;
      page.on('request', (req) => {
        if (new URL(req.url()).pathname === '/api/queues.snapshot') snapshotReads += 1;
      });

      await page.goto(`${node.baseUrl}/#/queues`);
      await expectView(page, viewEntry('queues'));
      await page.getByText('Nothing ready.').waitFor({ timeout: UI_TIMEOUT_MS });

      const suffix = randomBytes(3).toString('hex');
      // Attempt 1 fails at once; its retry waits in the waiting set, then runs and succeeds.
      const command = 'if [ "$TICKR_ATTEMPT" = 1 ]; then exit 3; fi; sleep 0.1';
      const task = (name: string, target: 'any' | 'this-node', retryDelayMs: number) =>
        node.call<Task>('tasks.create', {
          name,
          type: 'shell',
          command,
          enabled: false,
          overlap: 'allow',
          maxAttempts: 2,
          retryDelayMs,
          target,
        });
      const shared = await task(`e2e-stream-${suffix}`, 'any', 1_500);
      // The node takes its pinned jobs first: their longer retry keeps them in view mid-stream.
      const pinned = await task(`e2e-pinned-${suffix}`, 'this-node', 6_000);
      await Promise.all(
        Array.from({ length: JOBS }, (_, i) =>
          node.call<Job>('tasks.runNow', { id: (i < PINNED ? pinned : shared).id }),
        ),
      );

      // Mid-stream: the lanes fill, in both themes, and stay accessible while they move.
      const seen: Counts = { waiting: 0, ready: 0, running: 0 };
      const busyLabels = new Set<string>();
      const observe = async (): Promise<Counts> => {
        const now = await laneCounts(page);
        for (const lane of LANES) seen[lane] = Math.max(seen[lane], now[lane]);
        for (const label of await page.locator(`${testId('lane-running')} .node-load`).allTextContents())
          busyLabels.add(label.trim());
        return now;
      };
      await expect
        .poll(
          async () => {
            const now = await observe();
            return now.ready > 0 && now.running > 0;
          },
          { timeout: UI_TIMEOUT_MS, interval: 50 },
        )
        .toBe(true);
      await page
        .locator(`${testId('lane-ready')} ${testId('queue-entry')}`)
        .first()
        .waitFor({ timeout: UI_TIMEOUT_MS });
      const readyNames = await page.locator(`${testId('lane-ready')} .entry-task`).allTextContents();
      expect(readyNames.every((n) => n === shared.name || n === pinned.name)).toBe(true);
      // Rows caught mid-glide would look misplaced in a still picture: the motion is off for these.
      await page.emulateMedia({ reducedMotion: 'reduce' });
      for (const theme of ['light', 'dark'] as const) {
        await showTheme(page, theme);
        await observe();
        await page.screenshot({ path: screenshotPath('queues', theme), fullPage: true });
        expect(await seriousAxeViolations(page), `the queues mid-stream in ${theme}`).toEqual([]);
      }
      await page.emulateMedia({ reducedMotion: 'no-preference' });
      await showTheme(page, 'light');

      // Until the end: every job succeeded (after its retry went through the waiting lane), and
      // the page, from events alone, shows every lane empty.
      const succeeded = async (): Promise<number> => {
        const jobs = await Promise.all(
          [shared, pinned].map((t) =>
            node.call<ListPage<Job>>('jobs.list', { taskId: t.id, status: 'succeeded', limit: 1000 }),
          ),
        );
        return jobs.reduce((sum, page) => sum + page.items.length, 0);
      };
      await expect.poll(async () => (await observe(), succeeded()), { timeout: 150_000, interval: 250 }).toBe(JOBS);
      await expect
        .poll(
          async () => {
            const now = await observe();
            return now.waiting + now.ready + now.running;
          },
          { timeout: UI_TIMEOUT_MS, interval: 100 },
        )
        .toBe(0);
      expect(seen.waiting, 'retries waited in the waiting lane').toBeGreaterThan(0);
      expect(seen.ready).toBeGreaterThan(0);
      expect(seen.running).toBeGreaterThan(0);
      // 4 workers: at most 4 jobs at work, and at most 4 more whose work ended and whose result
      // is being written (the worker went on to the next job); the lane says which.
      expect(seen.running).toBeLessThanOrEqual(8);
      expect([...busyLabels].length).toBeGreaterThan(0);
      for (const label of busyLabels) expect(label).toMatch(/^[0-4]\/4 workers busy( · [1-4] finishing)?$/);
      for (const t of [shared, pinned]) {
        const jobs = await node.call<ListPage<Job>>('jobs.list', { taskId: t.id, limit: 1000 });
        expect(jobs.items.map((j) => [j.status, j.attempt])).toEqual(
          Array(t === pinned ? PINNED : JOBS - PINNED).fill(['succeeded', 2]),
        );
      }
      await page.getByText('Nothing waiting.').waitFor({ timeout: UI_TIMEOUT_MS });
      await page.getByText('No job is pinned.').waitFor({ timeout: UI_TIMEOUT_MS });
      expect(await page.locator(testId('queue-entry')).count()).toBe(0);

      // No timer reads the queues: once nothing moves, nothing is read.
      const readsWhenIdle = snapshotReads;
      await page.waitForTimeout(3_000);
      expect(snapshotReads).toBe(readsWhenIdle);

      expect(pageErrors()).toEqual([]);
      expect(consoleErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
