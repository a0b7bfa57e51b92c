import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/renderer/src/api-core';
import { request } from '../../src/renderer/src/app/request';
import { resetStore, useTickrStore, type Store } from '../../src/renderer/src/app/store';
import { FIRST_PAGE } from '../../src/renderer/src/views/Jobs/slice';
import type { Task } from '../../src/shared/types';
import { failing, health, installFakeApi, job, logEntry } from './renderer-fixtures';

/** The store's actions and the one load / error / auth cycle they share (app/request.ts). */

const state = () => useTickrStore.getState();
const set = (partial: Partial<Store>) => useTickrStore.setState(partial);
const refused = () => new ApiError('UNAUTHORIZED', 'the API token was refused');

beforeEach(() => {
  resetStore();
});

describe('request', () => {
  const loadHealth = (options: Partial<Parameters<typeof request>[2]> = {}) =>
    request(set, (api) => api['health.get']({}), {
      errorKey: 'healthError',
      onData: (h) => ({ health: h }),
      ...options,
    });

  it('applies the answer and clears an earlier error', async () => {
    useTickrStore.setState({ healthError: 'earlier failure' });
    installFakeApi({ 'health.get': async () => health('recovering') });

    expect(await loadHealth()).toBe(true);
    expect(state().health?.redis.status).toBe('recovering');
    expect(state().healthError).toBeNull();
  });

  it('shows the failure in its error field and keeps auth for errors other than a refused token', async () => {
    useTickrStore.setState({ health: health('up') });
    installFakeApi({ 'health.get': failing(new ApiError('STORE_UNAVAILABLE', 'MySQL is down')) });

    expect(await loadHealth()).toBe(false);
    expect(state().healthError).toBe('MySQL is down');
    expect(state().health?.redis.status).toBe('up');
    expect(state().auth).toBe('ok');
  });

  it('turns a refused token (UNAUTHORIZED) into auth "invalid"', async () => {
    installFakeApi({ 'health.get': failing(refused()) });

    await loadHealth();

    expect(state().auth).toBe('invalid');
    expect(state().healthError).toBe('the API token was refused');
  });

  it('does not take a message that merely says UNAUTHORIZED for a refused token', async () => {
    installFakeApi({ 'health.get': failing(new Error('UNAUTHORIZED')) });

    await loadHealth();

    expect(state().auth).toBe('ok');
    expect(state().healthError).toBe('UNAUTHORIZED');
  });

  it('drops an answer that is no longer wanted, but still notes a refused token', async () => {
    installFakeApi({ 'health.get': async () => health() });
    await loadHealth({ isCurrent: () => false });
    expect(state().health).toBeNull();

    installFakeApi({ 'health.get': failing(refused()) });
    await loadHealth({ isCurrent: () => false });
    expect(state().healthError).toBeNull();
    expect(state().auth).toBe('invalid');
  });
});

describe('slice actions', () => {
  it('loadJobs asks for the first page of the most recent jobs and shows them', async () => {
    const list = vi.fn(async () => ({ items: [job('2'), job('1')], nextCursor: null }));
    installFakeApi({ 'jobs.list': list });

    await state().loadJobs();

    expect(list).toHaveBeenCalledWith({ limit: FIRST_PAGE });
    expect(state().jobs.map((j) => j.id)).toEqual(['2', '1']);
    expect(state().jobsLoaded).toBe(true);
  });

  it('loadJobs that fails leaves the list "not loaded": no "no jobs yet" before the node has answered', async () => {
    installFakeApi({ 'jobs.list': failing(new ApiError('STORE_UNAVAILABLE', 'MySQL is down')) });

    await state().loadJobs();

    expect(state().jobsLoaded).toBe(false);
    expect(state().jobsError).toBe('MySQL is down');
  });

  it("openLog shows the job at once, with the previous job's log cleared", async () => {
    useTickrStore.setState({ logJobId: '1', log: [logEntry(1, 'job 1')], logError: 'earlier failure' });
    let whileLoading: Partial<Store> = {};
    installFakeApi({
      'jobs.logs': async () => {
        whileLoading = { logJobId: state().logJobId, log: state().log, logError: state().logError };
        return { items: [logEntry(1, 'job 2')], nextSeq: 2 };
      },
    });

    await state().openLog('2');

    expect(whileLoading).toEqual({ logJobId: '2', log: [], logError: null });
    expect(state().log.map((e) => e.text)).toEqual(['job 2']);
  });

  // The user clicks job 3 while job 2's log is on its way: whatever job 2's call ends with must not show.
  it.each([
    ['answer', async () => ({ items: [logEntry(1, 'job 2')], nextSeq: 2 })],
    ['failure', failing(new ApiError('NOT_FOUND', 'job 2 is gone'))],
  ])('openLog drops the late %s for a job no longer open', async (_outcome, answerForJob2) => {
    installFakeApi({
      'jobs.logs': async ({ id }) => {
        if (id === '3') return { items: [logEntry(1, 'job 3')], nextSeq: 2 };
        await state().openLog('3');
        return answerForJob2();
      },
    });

    await state().openLog('2');

    expect(state().logJobId).toBe('3');
    expect(state().log.map((e) => e.text)).toEqual(['job 3']);
    expect(state().logError).toBeNull();
  });

  it('createShellTask sends a one-off shell task and is busy until the node answers', async () => {
    let busyWhileSending: boolean | undefined;
    const create = vi.fn(async () => {
      busyWhileSending = state().creating;
      return {} as Task;
    });
    installFakeApi({ 'tasks.create': create });

    expect(await state().createShellTask('backup', 'echo hi')).toBe(true);

    expect(create).toHaveBeenCalledWith({
      name: 'backup',
      type: 'shell',
      command: 'echo hi',
      schedule: { type: 'once' },
    });
    expect(busyWhileSending).toBe(true);
    expect(state().creating).toBe(false);
    expect(state().createError).toBeNull();
  });

  it('createShellTask reports a refusal and is no longer busy', async () => {
    installFakeApi({ 'tasks.create': failing(new ApiError('BAD_INPUT', 'command: must not be empty')) });

    expect(await state().createShellTask('backup', ' ')).toBe(false);
    expect(state().creating).toBe(false);
    expect(state().createError).toBe('command: must not be empty');
  });
});

describe('resetStore', () => {
  it('returns every slice to its initial state, with working actions', async () => {
    useTickrStore.setState({
      auth: 'invalid',
      route: { view: 'jobs', id: '1' },
      themeChoice: 'dark',
      prefersDark: true,
      paletteOpen: true,
      health: health(),
      healthError: 'x',
      jobs: [job('1')],
      jobsLoaded: true,
      jobsError: 'x',
      selectedJobId: '1',
      log: [logEntry(1)],
      logError: 'x',
      creating: true,
      createError: 'x',
    });

    resetStore();

    expect(state()).toMatchObject({
      auth: 'ok',
      route: { view: 'dashboard', id: null },
      themeChoice: 'system',
      prefersDark: false,
      paletteOpen: false,
      health: null,
      healthError: null,
      jobs: [],
      jobsLoaded: false,
      jobsError: null,
      selectedJobId: null,
      log: [],
      logError: null,
      creating: false,
      createError: null,
    });
    installFakeApi({ 'health.get': async () => health('down') });
    await state().loadHealth();
    expect(state().health?.redis.status).toBe('down');
  });
});
