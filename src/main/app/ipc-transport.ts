import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { METHOD_NAMES, type EventMessage, type Result } from '../../shared/contract';
import type { ErrorCode } from '../../shared/errors';
import type { ApiHandler } from '../api/types';
import { EVENT_CHANNEL, methodChannel } from './ipc-channels';

/**
 * The Electron IPC transport: the only code in the main process that touches ipcMain (a lint
 * rule enforces it). One `handle` per contract method; every answer is a Result envelope,
 * because an exception thrown across IPC loses everything but its message.
 */

export interface IpcTransportOptions {
  api: ApiHandler;
  /** Whether a frame URL is our own renderer page (see renderer-source.ts). */
  isAppUrl(url: string): boolean;
  /** The web contents that receive events. Asked per event, since windows come and go. */
  targets(): WebContents[];
  /** Where unexpected failures are reported; they are never sent to the renderer in full. */
  onError?(err: unknown): void;
}

export interface IpcTransport {
  /** From now on every call is answered SHUTTING_DOWN (the quit drain calls this first). */
  stopAccepting(): void;
  /** Removes the handlers and the event subscription. */
  close(): void;
}

function failure(code: ErrorCode, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

/**
 * Only the top-level frame of our own page may call the API: not an iframe inside it, not a
 * page the window was somehow navigated to. `senderFrame` is null when the frame has already
 * navigated away or been destroyed; such a call is refused too.
 */
function fromAppFrame(event: IpcMainInvokeEvent, isAppUrl: (url: string) => boolean): boolean {
  const frame = event.senderFrame;
  if (frame === null) return false;
  if (frame.parent !== null) return false;
  return isAppUrl(frame.url);
}

export function registerIpcTransport(options: IpcTransportOptions): IpcTransport {
  const onError = options.onError ?? ((err: unknown) => console.error('[tickr] IPC transport:', err));
  let accepting = true;

  for (const method of METHOD_NAMES) {
    ipcMain.handle(
      methodChannel(method),
      async (event: IpcMainInvokeEvent, input: unknown): Promise<Result<unknown>> => {
        if (!fromAppFrame(event, options.isAppUrl)) {
          return failure('UNAUTHORIZED', `${method}: the calling frame is not the Tickr window`);
        }
        if (!accepting) return failure('SHUTTING_DOWN', 'Tickr is shutting down');
        try {
          return await options.api.call(method, input);
        } catch (err) {
          // api.call answers with envelopes; a throw is a bug. Keep its details in the main process.
          onError(err);
          return failure('INTERNAL', `${method} failed unexpectedly`);
        }
      },
    );
  }

  const unsubscribe = options.api.subscribe((message: EventMessage) => {
    for (const contents of options.targets()) {
      // A window that navigated away (blocked, but defence in depth) must not receive events.
      if (contents.isDestroyed() || !options.isAppUrl(contents.getURL())) continue;
      try {
        contents.send(EVENT_CHANNEL, message);
      } catch (err) {
        // One window going away mid-send must not stop the others or the engine's emitter.
        onError(err);
      }
    }
  });

  return {
    stopAccepting() {
      accepting = false;
    },
    close() {
      unsubscribe();
      for (const method of METHOD_NAMES) ipcMain.removeHandler(methodChannel(method));
    },
  };
}
