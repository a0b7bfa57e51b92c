import type { IpcMainInvokeEvent } from 'electron';
import type { Result } from '../../src/shared/contract';

/**
 * Electron's `ipcMain` stood in by a map of handlers, for integration tests that call the real
 * IPC transport (src/main/app/ipc-transport.ts) against a real engine. A test file mocks
 * `electron` with it before importing the transport:
 *
 *   vi.mock('electron', async () => ({ ipcMain: (await import('../helpers/fake-ipc')).ipcMain }));
 *
 * (tests/unit/app-ipc-transport.test.ts keeps its own, with spies on every registration.)
 */

type Handler = (event: IpcMainInvokeEvent, input: unknown) => Promise<Result<unknown>>;

const handlers = new Map<string, Handler>();

export const ipcMain = {
  handle: (channel: string, handler: Handler): void => {
    handlers.set(channel, handler);
  },
  removeHandler: (channel: string): void => {
    handlers.delete(channel);
  },
};

/** The window's own page: the transport answers only frames whose URL it calls the app's. */
export const APP_URL = 'app://tickr/index.html';
export const isAppUrl = (url: string): boolean => url.startsWith(APP_URL);

/**
 * Calls a contract method as the desktop window would: from the app's top frame, with the input
 * copied by the structured clone algorithm, as Electron copies every argument.
 */
export async function callOverIpc(method: string, input: unknown): Promise<Result<unknown>> {
  const handler = handlers.get(`tickr:${method}`);
  if (handler === undefined) throw new Error(`no IPC handler for ${method}`);
  const event = { senderFrame: { url: APP_URL, parent: null }, sender: {} } as unknown as IpcMainInvokeEvent;
  return handler(event, structuredClone(input));
}
