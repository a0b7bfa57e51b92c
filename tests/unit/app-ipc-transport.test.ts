import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import type { ApiHandler } from '../../src/main/api/types';
import { METHOD_NAMES, type EventMessage, type Result } from '../../src/shared/contract';
import type { Job } from '../../src/shared/types';

/**
 * The IPC transport against a mocked `electron`: which handlers it registers, who may call them,
 * and that every answer is an envelope.
 */

type Handler = (event: IpcMainInvokeEvent, input: unknown) => Promise<Result<unknown>>;

const electron = vi.hoisted(() => {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    ipcMain: {
      handle: vi.fn((channel: string, handler: Handler) => {
        handlers.set(channel, handler);
      }),
      removeHandler: vi.fn((channel: string) => {
        handlers.delete(channel);
      }),
    },
  };
});

vi.mock('electron', () => ({ ipcMain: electron.ipcMain }));

const { registerIpcTransport } = await import('../../src/main/app/ipc-transport');

const APP_URL = 'app://tickr/index.html';
const isAppUrl = (url: string): boolean => url.startsWith(APP_URL);

class FakeApi implements ApiHandler {
  readonly listeners = new Set<(message: EventMessage) => void>();
  call = vi.fn(async (method: string, input: unknown): Promise<Result<unknown>> => ({
    ok: true,
    data: { method, input },
  }));
  subscribe(listener: (message: EventMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(message: EventMessage): void {
    for (const l of this.listeners) l(message);
  }
}

function eventFrom(url: string | null, parent: object | null = null): IpcMainInvokeEvent {
  const senderFrame = url === null ? null : { url, parent };
  return { senderFrame, sender: {} } as unknown as IpcMainInvokeEvent;
}

function fakeContents(url: string, destroyed = false) {
  return { getURL: () => url, isDestroyed: () => destroyed, send: vi.fn() };
}

function handler(method: string): Handler {
  const h = electron.handlers.get(`tickr:${method}`);
  if (h === undefined) throw new Error(`no handler for ${method}`);
  return h;
}

const job: Job = {
  id: '7',
  taskId: '3',
  status: 'running',
  attempt: 1,
  maxAttempts: 3,
  scheduledFor: '2026-01-01T00:00:00.000Z',
  dueAt: '2026-01-01T00:00:00.000Z',
  startedAt: '2026-01-01T00:00:00.010Z',
  finishedAt: null,
  exitCode: null,
  error: null,
  nodeId: 'n1',
};

describe('IPC transport', () => {
  let api: FakeApi;

  beforeEach(() => {
    electron.handlers.clear();
    vi.clearAllMocks();
    api = new FakeApi();
  });

  it('registers exactly one handler per contract method, on tickr:<method>', () => {
    registerIpcTransport({ api, isAppUrl, targets: () => [] });
    expect(electron.ipcMain.handle).toHaveBeenCalledTimes(METHOD_NAMES.length);
    expect([...electron.handlers.keys()].sort()).toEqual(METHOD_NAMES.map((m) => `tickr:${m}`).sort());
  });

  it('passes the input through to api.call and returns its envelope unchanged', async () => {
    registerIpcTransport({ api, isAppUrl, targets: () => [] });
    const envelope: Result<unknown> = { ok: false, error: { code: 'NOT_FOUND', message: 'no task 9' } };
    api.call.mockResolvedValueOnce(envelope);

    const input = { id: '9' };
    await expect(handler('tasks.get')(eventFrom(`${APP_URL}#/tasks`), input)).resolves.toBe(envelope);
    expect(api.call).toHaveBeenCalledExactlyOnceWith('tasks.get', input);

    await expect(handler('health.get')(eventFrom(APP_URL), {})).resolves.toEqual({
      ok: true,
      data: { method: 'health.get', input: {} },
    });
  });

  it.each([
    ['a foreign page', eventFrom('https://evil.example/')],
    ['another local file', eventFrom('file:///tmp/evil.html')],
    ['an iframe inside our page', eventFrom(APP_URL, { url: APP_URL })],
    ['a frame that is already gone', eventFrom(null)],
  ])('refuses a call from %s with UNAUTHORIZED, without calling the API', async (_name, event) => {
    registerIpcTransport({ api, isAppUrl, targets: () => [] });
    const result = await handler('tasks.create')(event, { name: 'x', type: 'shell', command: 'rm -rf /' });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(api.call).not.toHaveBeenCalled();
  });

  it('answers INTERNAL instead of throwing across IPC when api.call throws', async () => {
    const onError = vi.fn();
    registerIpcTransport({ api, isAppUrl, targets: () => [], onError });
    api.call.mockRejectedValueOnce(new Error('secret detail'));
    const result = await handler('jobs.list')(eventFrom(APP_URL), {});
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'jobs.list failed unexpectedly' } });
    expect(onError).toHaveBeenCalledOnce();
  });

  it('answers SHUTTING_DOWN once stopAccepting() was called', async () => {
    const transport = registerIpcTransport({ api, isAppUrl, targets: () => [] });
    transport.stopAccepting();
    const result = await handler('tasks.list')(eventFrom(APP_URL), {});
    expect(result).toMatchObject({ ok: false, error: { code: 'SHUTTING_DOWN' } });
    expect(api.call).not.toHaveBeenCalled();
  });

  it('sends engine events to our windows only', () => {
    const ours = fakeContents(APP_URL);
    const foreign = fakeContents('https://evil.example/');
    const closed = fakeContents(APP_URL, true);
    registerIpcTransport({
      api,
      isAppUrl,
      targets: () => [ours, foreign, closed] as unknown as WebContents[],
    });

    const message: EventMessage = { event: 'job.updated', data: job };
    api.emit(message);

    expect(ours.send).toHaveBeenCalledExactlyOnceWith('tickr:event', message);
    expect(foreign.send).not.toHaveBeenCalled();
    expect(closed.send).not.toHaveBeenCalled();
  });

  it('keeps delivering to other windows when one send throws', () => {
    const broken = fakeContents(APP_URL);
    broken.send.mockImplementation(() => {
      throw new Error('render frame was disposed');
    });
    const ours = fakeContents(APP_URL);
    const onError = vi.fn();
    registerIpcTransport({ api, isAppUrl, targets: () => [broken, ours] as unknown as WebContents[], onError });

    api.emit({ event: 'queue.changed', data: { reason: 'test' } });
    expect(ours.send).toHaveBeenCalledOnce();
    expect(onError).toHaveBeenCalledOnce();
  });

  it('close() removes every handler and the event subscription', () => {
    const transport = registerIpcTransport({ api, isAppUrl, targets: () => [] });
    expect(api.listeners.size).toBe(1);
    transport.close();
    expect(electron.handlers.size).toBe(0);
    expect(api.listeners.size).toBe(0);
  });
});
