import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page as ListPage, Task } from '../../src/shared/types';
import { launchBrowser, openApp, testId, UI_TIMEOUT_MS } from './helpers/browser';
import { expectView, SCREENSHOT_DIR, screenshotPath, seriousAxeViolations, viewEntry } from './helpers/frame';
import { startServeNode, type ServeNode } from './helpers/serve-node';

const VIEWPORT = { width: 1280, height: 900 };
/** The viewer's zone, set on the browser: not the task's, so the preview shows both. */
const VIEWER_ZONE = 'America/New_York';
const TASK_ZONE = 'Asia/Tokyo';

/**
 * The one console error a test may expect: the browser logs every 4xx answer, and the invalid
 * cron expression is meant to get one (schedule.preview's 400 that names the field).
 */
const EXPECTED_400 = 'Failed to load resource: the server responded with a status of 400 (Bad Request)';

/** `YYYY-MM-DD HH:mm` with the weekday, in `zone`: how the preview table writes a run. */
function wall(zone: string, at: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    weekday: 'short',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('weekday')} ${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** The next `n` runs of "every day at 09:00 in Tokyo" (UTC+9, no DST): every day at 00:00 UTC. */
function tokyoNineOClocks(n: number, now = new Date()): Date[] {
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  return Array.from({ length: n }, (_, i) => new Date(first.getTime() + i * 86_400_000));
}

describe('web UI: the Tasks view', () => {
  let node: ServeNode;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: () => string[];
  const consoleErrors: string[] = [];
  let expectedErrors = 0;
  const cronName = `e2e-cron-${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    [node, browser] = await Promise.all([startServeNode(), launchBrowser()]);
    // axe goes in as an inline script, which the page's CSP refuses: bypassCSP.
    context = await browser.newContext({ viewport: VIEWPORT, timezoneId: VIEWER_ZONE, bypassCSP: true });
    context.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    ({ page, pageErrors } = await openApp(context, node));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await node?.stop();
  });

  const row = () => page.locator(testId('task-row')).filter({ hasText: cronName });

  it('creates a cron task in a chosen zone through the editor; the preview shows its next runs in both zones', async () => {
    await page.goto(`${node.baseUrl}/#/tasks/new`);
    await expectView(page, viewEntry('tasks'));
    const editor = page.getByRole('form', { name: 'New task' });
    await editor.getByRole('textbox', { name: 'Name' }).fill(cronName);
    await editor.getByRole('textbox', { name: 'Command' }).fill('echo tick');
    await editor.getByRole('radio', { name: 'Cron' }).check();
    // A preset writes the expression; the words say what it means.
    await editor.getByRole('combobox', { name: 'Preset' }).selectOption('daily');
    await editor.locator('input[type="time"]').fill('09:00');
    expect(await editor.getByRole('textbox', { name: 'Cron expression' }).inputValue()).toBe('0 9 * * *');
    await editor.getByText('At 09:00, every day').waitFor({ timeout: UI_TIMEOUT_MS });
    await editor.getByRole('combobox', { name: 'Time zone' }).fill(TASK_ZONE);

    const previewRows = editor.getByRole('table', { name: 'Next runs' }).locator(testId('preview-run'));
    const expected = tokyoNineOClocks(10);
    await expect
      .poll(() => previewRows.allTextContents(), { timeout: UI_TIMEOUT_MS })
      .toEqual(expected.map((at) => `${wall(TASK_ZONE, at)}${wall(VIEWER_ZONE, at)}`));
    expect(await previewRows.first().locator('td').first().textContent()).toMatch(/ 09:00$/);

    // A run that falls in a DST gap is flagged and explained (Berlin springs forward on 28 Mar 2027).
    await editor.getByRole('textbox', { name: 'Cron expression' }).fill('30 2 28 3 *');
    await editor.getByRole('combobox', { name: 'Time zone' }).fill('Europe/Berlin');
    await expect
      .poll(() => previewRows.first().textContent(), { timeout: UI_TIMEOUT_MS })
      .toContain('02:30 does not exist on 28 Mar (clocks go forward); runs at 03:00');

    await editor.getByRole('textbox', { name: 'Cron expression' }).fill('0 9 * * *');
    await editor.getByRole('combobox', { name: 'Time zone' }).fill(TASK_ZONE);
    await expect.poll(() => previewRows.count(), { timeout: UI_TIMEOUT_MS }).toBe(10);
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await expect.poll(() => page.evaluate<string>('document.documentElement.dataset.theme')).toBe(theme);
      expect(await seriousAxeViolations(page), `the editor in ${theme}`).toEqual([]);
      await page.screenshot({ path: screenshotPath('task-editor', theme), fullPage: true });
    }
    await page.emulateMedia({ colorScheme: 'light' });

    await editor.getByRole('button', { name: 'Create task' }).click();
    await page.waitForURL(/#\/tasks$/, { timeout: UI_TIMEOUT_MS });
    await row().waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await row().textContent()).toContain('At 09:00, every day (Asia/Tokyo)');
    // Its next run is the first of the preview, counted down in the list.
    const tasks = await node.call<ListPage<Task>>('tasks.list', {});
    const created = tasks.items.find((t) => t.name === cronName) as Task;
    expect(created.schedule).toEqual({ type: 'cron', expr: '0 9 * * *', timezone: TASK_ZONE });
    expect(created.nextRunAt).toBe(expected[0]!.toISOString());
    expect(await row().locator(testId('task-next-run')).getAttribute('title')).toBe(created.nextRunAt);
    expect(await row().locator(testId('task-next-run')).textContent()).toMatch(/^in \d+ (h|min|s)/);
  });

  it('pauses, resumes and runs the task now from the list', async () => {
    const enabled = row().getByRole('switch', { name: `Enabled: ${cronName}` });
    const task = async () =>
      (await node.call<ListPage<Task>>('tasks.list', {})).items.find((t) => t.name === cronName) as Task;

    await enabled.click();
    await expect.poll(() => enabled.getAttribute('aria-checked'), { timeout: UI_TIMEOUT_MS }).toBe('false');
    expect((await task()).enabled).toBe(false);
    expect(await row().locator(testId('task-next-run')).textContent()).toBe('paused');

    await enabled.click();
    await expect.poll(() => enabled.getAttribute('aria-checked'), { timeout: UI_TIMEOUT_MS }).toBe('true');
    expect((await task()).enabled).toBe(true);

    await row()
      .getByRole('button', { name: `Run now: ${cronName}` })
      .click();
    // The job arrives as job.updated events: its bar in the strip, then the last result.
    await expect
      .poll(() => row().locator(testId('task-last-result')).textContent(), { timeout: UI_TIMEOUT_MS })
      .toBe('succeeded');
    expect(await row().locator('.run-bar[data-status="succeeded"]').count()).toBe(1);
    // Pausing cancelled the waiting 09:00 job, resuming made the next, and run now the third.
    expect(await row().getByRole('img').getAttribute('aria-label')).toBe(`${cronName}: last 3 runs, 0 failed`);
    expect(
      await row()
        .locator('.run-bar[data-status]')
        .evaluateAll((bars) => bars.map((b) => b.getAttribute('data-status'))),
    ).toEqual(['cancelled', 'waiting', 'succeeded']);

    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await expect.poll(() => page.evaluate<string>('document.documentElement.dataset.theme')).toBe(theme);
      expect(await seriousAxeViolations(page), `the list in ${theme}`).toEqual([]);
      await page.screenshot({ path: screenshotPath('tasks-list', theme), fullPage: true });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('an invalid cron expression shows the server’s field error and keeps Save disabled', async () => {
    await row()
      .getByRole('link', { name: `Edit: ${cronName}` })
      .click();
    const editor = page.getByRole('form', { name: `Edit task ${cronName}` });
    const expr = editor.getByRole('textbox', { name: 'Cron expression' });
    await expect.poll(() => expr.inputValue(), { timeout: UI_TIMEOUT_MS }).toBe('0 9 * * *');

    const before = consoleErrors.length;
    await expr.fill('0 25 * * *');
    await expect.poll(() => expr.getAttribute('aria-invalid'), { timeout: UI_TIMEOUT_MS }).toBe('true');
    const describedBy = (await expr.getAttribute('aria-describedby')) as string;
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe(
      'field 2 (hour) value 25 is out of range 0-23',
    );
    expect(await editor.getByRole('button', { name: 'Save changes' }).isDisabled()).toBe(true);
    // Exactly the one 400 this step asked for.
    await expect.poll(() => consoleErrors.slice(before)).toEqual([EXPECTED_400]);
    expectedErrors += 1;

    // Fixing it clears the error, and nothing else typed was lost.
    await expr.fill('0 10 * * *');
    await expect.poll(() => expr.getAttribute('aria-invalid'), { timeout: UI_TIMEOUT_MS }).toBe(null);
    expect(await editor.getByRole('textbox', { name: 'Name' }).inputValue()).toBe(cronName);
    expect(await editor.getByRole('button', { name: 'Save changes' }).isDisabled()).toBe(false);
  });

  it('left no console errors but the expected one, and no page errors', () => {
    expect(consoleErrors.filter((e) => e !== EXPECTED_400)).toEqual([]);
    expect(consoleErrors.filter((e) => e === EXPECTED_400)).toHaveLength(expectedErrors);
    expect(pageErrors()).toEqual([]);
  });
});
