// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/renderer/src/api-core';
import { resetStore, useTickrStore } from '../../src/renderer/src/app/store';
import { TaskEditor } from '../../src/renderer/src/views/Tasks/components/TaskEditor';
import { emptyForm, formFromTask } from '../../src/renderer/src/views/Tasks/form-model';
import type { SchedulePreview, Task } from '../../src/shared/types';
import { installFakeApi } from './renderer-fixtures';

/** The task editor (views/Tasks/components/TaskEditor.tsx) against a fake API. */

const PREVIEW: SchedulePreview = {
  description: 'At 09:00',
  timezone: 'UTC',
  occurrences: [{ utc: '2030-01-01T09:00:00.000Z', local: '2030-01-01T09:00:00+00:00', dst: null, nominal: null }],
};

function task(overrides: Partial<Task> = {}): Task {
  return {
    id: '7',
    name: 'backup',
    type: 'shell',
    command: 'backup.sh',
    cwd: null,
    env: {},
    http: null,
    schedule: { type: 'interval', everyMs: 300_000 },
    maxAttempts: 3,
    retryDelayMs: 1_000,
    timeoutMs: 3_600_000,
    overlap: 'skip',
    catchUp: 'once',
    target: 'any',
    nodeId: null,
    enabled: true,
    nextRunAt: null,
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
    deletedAt: null,
    ...overrides,
  };
}

const textbox = (name: string | RegExp) => screen.getByRole('textbox', { name });
const type = (el: HTMLElement, value: string) => fireEvent.change(el, { target: { value } });
const saveButton = () => screen.getByRole('button', { name: /create task|save changes/i }) as HTMLButtonElement;
/** The text of the elements that describe a control (its error, then its hint). */
function description(el: HTMLElement): string {
  const ids = (el.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

let create: ReturnType<typeof vi.fn>;
let update: ReturnType<typeof vi.fn>;

beforeEach(() => {
  resetStore();
  create = vi.fn(async (input: Record<string, unknown>) => task({ ...(input as Partial<Task>), id: '8' }));
  update = vi.fn(async (input: Record<string, unknown>) => task(input as Partial<Task>));
  installFakeApi({
    'tasks.create': create as never,
    'tasks.update': update as never,
    'schedule.preview': async () => PREVIEW,
  });
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function fillBasics(): void {
  type(textbox('Name'), 'nightly');
  type(textbox('Command'), 'echo hi\necho there');
}

async function save(): Promise<void> {
  await act(async () => {
    fireEvent.click(saveButton());
  });
}

describe('the task editor: every schedule type', () => {
  it('once, now: schedule {type: once}', async () => {
    render(<TaskEditor initial={emptyForm('UTC')} />);
    fillBasics();
    fireEvent.click(screen.getByRole('radio', { name: 'Once' }));
    fireEvent.click(screen.getByRole('radio', { name: 'Now' }));
    await save();
    expect(create).toHaveBeenCalledTimes(1);
    expect(create.mock.calls[0]![0]).toMatchObject({
      name: 'nightly',
      type: 'shell',
      command: 'echo hi\necho there',
      schedule: { type: 'once' },
    });
    // Saved: back to the list.
    expect(useTickrStore.getState().route).toEqual({ view: 'tasks', id: null });
  });

  it('once, at a time: the local time the user picked, sent as an ISO instant', async () => {
    render(<TaskEditor initial={emptyForm('UTC')} />);
    fillBasics();
    fireEvent.click(screen.getByRole('radio', { name: 'Once' }));
    fireEvent.click(screen.getByRole('radio', { name: 'At a time' }));
    expect(saveButton().disabled).toBe(true);
    const at = screen.getByLabelText(/^Run at/);
    type(at, '2031-05-06T07:08');
    await save();
    expect(create.mock.calls[0]![0].schedule).toEqual({ type: 'once', at: new Date('2031-05-06T07:08').toISOString() });
  });

  it('once, after a delay: delayMs from the value and its unit', async () => {
    render(<TaskEditor initial={emptyForm('UTC')} />);
    fillBasics();
    fireEvent.click(screen.getByRole('radio', { name: 'Once' }));
    fireEvent.click(screen.getByRole('radio', { name: 'After a delay' }));
    type(screen.getByRole('spinbutton', { name: 'Delay' }), '90');
    fireEvent.change(screen.getByRole('combobox', { name: 'Delay unit' }), { target: { value: 'seconds' } });
    await save();
    expect(create.mock.calls[0]![0].schedule).toEqual({ type: 'once', delayMs: 90_000 });
  });

  it('interval: everyMs, with start and end', async () => {
    render(<TaskEditor initial={emptyForm('UTC')} />);
    fillBasics();
    fireEvent.click(screen.getByRole('radio', { name: 'Interval' }));
    type(screen.getByRole('spinbutton', { name: 'Every' }), '2');
    fireEvent.change(screen.getByRole('combobox', { name: 'Interval unit' }), { target: { value: 'hours' } });
    type(screen.getByLabelText(/^Start/), '2031-01-01T00:00');
    type(screen.getByLabelText(/^End/), '2031-02-01T00:00');
    await save();
    expect(create.mock.calls[0]![0].schedule).toEqual({
      type: 'interval',
      everyMs: 7_200_000,
      startAt: new Date('2031-01-01T00:00').toISOString(),
      endAt: new Date('2031-02-01T00:00').toISOString(),
    });
  });

  it('cron: the expression and the zone', async () => {
    render(<TaskEditor initial={emptyForm('UTC')} />);
    fillBasics();
    fireEvent.click(screen.getByRole('radio', { name: 'Cron' }));
    type(textbox('Cron expression'), '*/15 * * * *');
    type(screen.getByRole('combobox', { name: 'Time zone' }), 'Europe/Berlin');
    await save();
    expect(create.mock.calls[0]![0].schedule).toEqual({
      type: 'cron',
      expr: '*/15 * * * *',
      timezone: 'Europe/Berlin',
    });
  });

  it('sends the policies: attempts, retry delay and timeout in ms, overlap, catch-up, target, enabled', async () => {
    render(<TaskEditor initial={emptyForm('UTC')} />);
    fillBasics();
    type(screen.getByRole('spinbutton', { name: 'Attempts' }), '4');
    type(screen.getByRole('spinbutton', { name: 'Retry delay (seconds)' }), '30');
    // The linear rule in words, from what is typed.
    expect(description(screen.getByRole('spinbutton', { name: 'Retry delay (seconds)' }))).toBe(
      'Up to 3 retries; after failed attempt n the next waits n × 30 s: 30 s, 1 min, 1 min 30 s.',
    );
    type(screen.getByRole('spinbutton', { name: 'Timeout (seconds)' }), '120');
    fireEvent.change(screen.getByRole('combobox', { name: 'Overlap' }), { target: { value: 'queue' } });
    expect(description(screen.getByRole('combobox', { name: 'Overlap' }))).toMatch(/waits for it to finish/);
    fireEvent.change(screen.getByRole('combobox', { name: 'Catch-up' }), { target: { value: 'all' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Target' }), { target: { value: 'this-node' } });
    fireEvent.click(screen.getByRole('checkbox', { name: /^Enabled/ }));
    await save();
    expect(create.mock.calls[0]![0]).toMatchObject({
      maxAttempts: 4,
      retryDelayMs: 30_000,
      timeoutMs: 120_000,
      overlap: 'queue',
      catchUp: 'all',
      target: 'this-node',
      enabled: false,
    });
  });

  it('an http task sends method, URL, headers and body, and no command', async () => {
    render(<TaskEditor initial={emptyForm('UTC')} />);
    type(textbox('Name'), 'ping');
    fireEvent.click(screen.getByRole('radio', { name: 'HTTP request' }));
    fireEvent.change(screen.getByRole('combobox', { name: 'Method' }), { target: { value: 'POST' } });
    type(textbox('URL'), 'https://example.com/hook');
    fireEvent.click(screen.getByRole('button', { name: 'Add header' }));
    type(textbox('header 1 name'), 'Authorization');
    fireEvent.click(screen.getByRole('checkbox', { name: /Secret/ }));
    type(screen.getByLabelText('header 1 value'), 'Bearer abc');
    type(textbox('Body'), '{"a":1}');
    await save();
    const input = create.mock.calls[0]![0];
    expect(input.command).toBeUndefined();
    expect(input.http).toEqual({
      method: 'POST',
      url: 'https://example.com/hook',
      headers: { Authorization: { value: 'Bearer abc', secret: true } },
      body: '{"a":1}',
    });
  });
});

describe('the task editor: validation', () => {
  it('keeps Save disabled while the contract schema refuses the form, and marks a field once touched', () => {
    render(<TaskEditor initial={emptyForm('UTC')} />);
    expect(saveButton().disabled).toBe(true);
    fillBasics();
    expect(saveButton().disabled).toBe(false);

    fireEvent.click(screen.getByRole('radio', { name: 'Interval' }));
    const every = screen.getByRole('spinbutton', { name: 'Every' });
    type(every, '500');
    fireEvent.change(screen.getByRole('combobox', { name: 'Interval unit' }), { target: { value: 'seconds' } });
    type(every, '0.5');
    expect(every.getAttribute('aria-invalid')).toBe('true');
    expect(description(every)).toBe('must be at least 1000 ms');
    expect(saveButton().disabled).toBe(true);
  });

  it('puts the server’s field errors on their fields, keeps what was typed, and re-enables Save once changed', async () => {
    create.mockRejectedValueOnce(
      new ApiError('BAD_INPUT', 'name: is taken by another task; schedule.timezone: unknown time zone'),
    );
    render(<TaskEditor initial={emptyForm('UTC')} />);
    fillBasics();
    await save();

    const name = textbox('Name') as HTMLInputElement;
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(description(name)).toBe('is taken by another task');
    const zone = screen.getByRole('combobox', { name: 'Time zone' });
    expect(zone.getAttribute('aria-invalid')).toBe('true');
    expect(description(zone)).toBe('unknown time zone');
    // Nothing typed was lost, and the page did not leave the editor.
    expect(name.value).toBe('nightly');
    expect((textbox('Command') as HTMLTextAreaElement).value).toBe('echo hi\necho there');
    expect(saveButton().disabled).toBe(true);

    type(name, 'nightly-2');
    type(zone, 'Europe/Paris');
    expect(name.getAttribute('aria-invalid')).toBeNull();
    expect(saveButton().disabled).toBe(false);
    await save();
    expect(create).toHaveBeenCalledTimes(2);
    expect(create.mock.calls[1]![0]).toMatchObject({ name: 'nightly-2' });
  });

  it('a failure that names no field is shown above Save, which stays usable for a second try', async () => {
    create.mockRejectedValueOnce(new ApiError('STORE_UNAVAILABLE', 'MySQL is unavailable: nothing was saved'));
    render(<TaskEditor initial={emptyForm('UTC')} />);
    fillBasics();
    await save();
    expect(screen.getByRole('alert').textContent).toBe('MySQL is unavailable: nothing was saved');
    expect(saveButton().disabled).toBe(false);
  });

  it('the preview’s refusal of a cron expression lands on the expression field', async () => {
    installFakeApi({
      'tasks.create': create as never,
      'schedule.preview': async () => {
        throw new ApiError('BAD_INPUT', 'schedule.expr: field 2 (hour) value 25 is out of range 0-23');
      },
    });
    render(<TaskEditor initial={emptyForm('UTC')} />);
    fillBasics();
    type(textbox('Cron expression'), '0 25 * * *');
    await vi.waitFor(() => expect(textbox('Cron expression').getAttribute('aria-invalid')).toBe('true'));
    expect(description(textbox('Cron expression'))).toBe('field 2 (hour) value 25 is out of range 0-23');
    expect(saveButton().disabled).toBe(true);
  });
});

describe('the task editor: secrets are never shown', () => {
  const withSecrets = task({
    env: { PLAIN: 'visible', TOKEN: { secret: true } },
  });

  it('shows a stored secret as an empty password field and keeps it unless replaced', async () => {
    const { container } = render(<TaskEditor initial={formFromTask(withSecrets, 'UTC')} />);
    const secretValue = screen.getByLabelText('variable 2 value') as HTMLInputElement;
    expect(secretValue.type).toBe('password');
    expect(secretValue.value).toBe('');
    expect(secretValue.placeholder).toMatch(/kept/);
    expect((screen.getByLabelText('variable 1 value') as HTMLInputElement).value).toBe('visible');

    await save();
    expect(update.mock.calls[0]![0]).toMatchObject({ id: '7', env: { PLAIN: 'visible', TOKEN: { secret: true } } });
    // Nothing of it is on the page: no input holds a value but the plain variable's.
    const values = [...container.querySelectorAll('input')].map((i) => i.value).filter((v) => v !== '');
    expect(values).not.toContain('new-token');

    type(secretValue, 'new-token');
    await save();
    expect(update.mock.calls[1]![0].env).toEqual({ PLAIN: 'visible', TOKEN: { value: 'new-token', secret: true } });
  });

  it('a secret http header of a stored task stays hidden too', () => {
    const httpTask = task({
      type: 'http',
      command: null,
      http: { method: 'GET', url: 'https://example.com/', headers: { 'X-Key': { secret: true } } },
    });
    render(<TaskEditor initial={formFromTask(httpTask, 'UTC')} />);
    const rows = screen.getByRole('group', { name: 'Headers' });
    const value = within(rows).getByLabelText('header 1 value') as HTMLInputElement;
    expect(value.type).toBe('password');
    expect(value.value).toBe('');
  });
});
