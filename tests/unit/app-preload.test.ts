import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TickrBridge } from '../../src/preload/api';
import { METHOD_NAMES, type EventMessage } from '../../src/shared/contract';

/** The preload against a mocked `electron`: what it exposes and how it unwraps envelopes. */

type IpcListener = (event: unknown, message: EventMessage) => void;

const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: {
    invoke: vi.fn(),
    on: vi.fn(),
    removeListener: vi.fn(),
  },
}));

vi.mock('electron', () => electron);

await import('../../src/preload/index');

function exposed(): { key: string; bridge: TickrBridge } {
  const [key, bridge] = electron.contextBridge.exposeInMainWorld.mock.calls[0] as [string, TickrBridge];
  return { key, bridge };
}

describe('preload', () => {
  beforeEach(() => {
    electron.ipcRenderer.invoke.mockReset();
    electron.ipcRenderer.on.mockClear();
    electron.ipcRenderer.removeListener.mockClear();
  });

  it('exposes window.tickr with one function per contract method, plus onEvent, and nothing else', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce();
    const { key, bridge } = exposed();
    expect(key).toBe('tickr');
    expect(Object.keys(bridge).sort()).toEqual([...METHOD_NAMES, 'onEvent'].sort());
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
  });

  it('invokes tickr:<method> with the input and resolves with the data of an ok envelope', async () => {
    const { bridge } = exposed();
    const page = { items: [], nextCursor: null };
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, data: page });

    await expect(bridge['jobs.list']({ limit: 5 })).resolves.toEqual(page);
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith('tickr:jobs.list', { limit: 5 });
  });

  it('rejects with an Error carrying the code of an error envelope', async () => {
    const { bridge } = exposed();
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'NOT_FOUND', message: 'no job 7' } });

    const err: unknown = await bridge['jobs.get']({ id: '7' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: 'NOT_FOUND' });
    // The code also rides in the message, which is all contextBridge copies into the page.
    expect((err as Error).message).toBe('[NOT_FOUND] no job 7');
  });

  it('turns a failed invoke (no handler yet) into UNREACHABLE', async () => {
    const { bridge } = exposed();
    electron.ipcRenderer.invoke.mockRejectedValueOnce(new Error("No handler registered for 'tickr:health.get'"));
    await expect(bridge['health.get']({})).rejects.toMatchObject({ code: 'UNREACHABLE' });
  });

  it('forwards events without the IPC event object, and unsubscribes', () => {
    const { bridge } = exposed();
    const listener = vi.fn();
    const unsubscribe = bridge.onEvent(listener);

    const [channel, forward] = electron.ipcRenderer.on.mock.calls[0] as [string, IpcListener];
    expect(channel).toBe('tickr:event');
    const message: EventMessage = { event: 'queue.changed', data: { reason: 'refill' } };
    forward({ sender: 'ipcRenderer internals' }, message);
    expect(listener).toHaveBeenCalledExactlyOnceWith(message);

    unsubscribe();
    expect(electron.ipcRenderer.removeListener).toHaveBeenCalledWith('tickr:event', forward);
  });
});
