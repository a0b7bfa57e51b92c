import { describe, expect, it } from 'vitest';
import {
  emptyForm,
  errorAt,
  formFromTask,
  newRow,
  retryRuleInWords,
  serverFieldErrors,
  splitDuration,
  toCreateInput,
  toUpdateInput,
  validateForm,
} from '../../src/renderer/src/views/Tasks/form-model';
import { taskCreateSchema, taskUpdateSchema } from '../../src/shared/schemas';
import type { Task } from '../../src/shared/types';

/** The task editor's form state (views/Tasks/form-model.ts), pure. */

const stored: Task = {
  id: '5',
  name: 'sync',
  type: 'shell',
  command: 'rsync -a src/ dst/',
  cwd: '/srv',
  env: { MODE: 'fast', API_KEY: { secret: true } },
  http: null,
  schedule: { type: 'cron', expr: '*/5 * * * *', timezone: 'Asia/Tokyo', startAt: '2030-01-01T00:00:00.000Z' },
  maxAttempts: 5,
  retryDelayMs: 90_000,
  timeoutMs: 600_000,
  overlap: 'queue',
  catchUp: 'all',
  target: 'this-node',
  nodeId: 'n1',
  enabled: false,
  nextRunAt: null,
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
  deletedAt: null,
};

describe('the task form model', () => {
  it('a new form with name and command is a valid tasks.create input', () => {
    const form = { ...emptyForm('UTC'), name: 'x', command: 'true' };
    expect(validateForm(form)).toEqual({});
    expect(taskCreateSchema.safeParse(toCreateInput(form)).success).toBe(true);
  });

  it('reads a stored task back into the same update: secrets kept as {secret: true}, every field the same', () => {
    const form = formFromTask(stored, 'UTC');
    expect(form.env.find((r) => r.name === 'API_KEY')).toMatchObject({ value: '', secret: true, stored: true });
    const input = toUpdateInput(form);
    expect(taskUpdateSchema.safeParse(input).success).toBe(true);
    expect(input).toEqual({
      id: '5',
      name: 'sync',
      type: 'shell',
      command: 'rsync -a src/ dst/',
      cwd: '/srv',
      env: { MODE: 'fast', API_KEY: { secret: true } },
      schedule: { type: 'cron', expr: '*/5 * * * *', timezone: 'Asia/Tokyo', startAt: '2030-01-01T00:00:00.000Z' },
      maxAttempts: 5,
      retryDelayMs: 90_000,
      timeoutMs: 600_000,
      overlap: 'queue',
      catchUp: 'all',
      target: 'this-node',
      enabled: false,
    });
  });

  it('an emptied working directory is cleared on update (null), and left out on create', () => {
    const form = { ...formFromTask(stored, 'UTC'), cwd: '' };
    expect(toUpdateInput(form).cwd).toBeNull();
    expect('cwd' in toCreateInput({ ...form, id: null })).toBe(false);
  });

  it('a new secret needs a value; a stored one left blank does not', () => {
    const form = { ...emptyForm('UTC'), name: 'x', command: 'true', env: [newRow({ name: 'TOKEN', secret: true })] };
    expect(validateForm(form)).toEqual({ 'env.TOKEN': 'a new secret needs a value' });
    expect(validateForm(formFromTask(stored, 'UTC'))).toEqual({});
  });

  it('names the field of each schema problem by its contract path', () => {
    const form = { ...emptyForm('UTC'), name: '', command: 'true', scheduleKind: 'interval' as const, everyValue: 'x' };
    const errors = validateForm(form);
    expect(Object.keys(errors).sort()).toEqual(['name', 'schedule.everyMs']);
  });

  it('splits the server’s message into field errors; one naming no field goes to the form', () => {
    expect(
      serverFieldErrors('schedule.expr: field 2 (hour) value 25 is out of range 0-23; name: must not be empty'),
    ).toEqual({
      'schedule.expr': 'field 2 (hour) value 25 is out of range 0-23',
      name: 'must not be empty',
    });
    expect(serverFieldErrors('MySQL is unavailable')).toEqual({ '(form)': 'MySQL is unavailable' });
    expect(errorAt({ 'env.TOKEN': 'bad' }, 'env')).toBe('bad');
  });

  it('says the linear retry rule in words', () => {
    expect(retryRuleInWords('1', '10')).toBe('No retries: one attempt only.');
    expect(retryRuleInWords('3', '45')).toBe(
      'Up to 2 retries; after failed attempt n the next waits n × 45 s: 45 s, 1 min 30 s.',
    );
    expect(retryRuleInWords('10', '60')).toMatch(/^Up to 9 retries; .* n × 1 min: 1 min, 2 min, 3 min, 4 min, …\.$/);
  });

  it('reads a duration back in its largest exact unit', () => {
    expect(splitDuration(300_000)).toEqual({ value: '5', unit: 'minutes' });
    expect(splitDuration(90_000)).toEqual({ value: '90', unit: 'seconds' });
    expect(splitDuration(172_800_000)).toEqual({ value: '2', unit: 'days' });
  });
});
