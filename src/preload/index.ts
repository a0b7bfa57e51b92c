import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { METHOD_NAMES, type EventMessage, type MethodName, type Result } from '../shared/contract';
import { EVENT_CHANNEL, methodChannel } from '../main/app/ipc-channels';
import type { TickrBridge, TickrEventListener } from './api';

/**
 * The preload: the only renderer-side code that touches ipcRenderer (a lint rule enforces it).
 * It exposes `window.tickr`, built generically from the contract's METHOD_NAMES, and nothing
 * else: no ipcRenderer, no channel names, no Node. Bundled into one CommonJS file so the window
 * can run sandboxed.
 */

/**
 * Client-side code, not in the contract: the main process did not answer with an envelope
 * (no handler registered yet, or it is going away). Same value as UNREACHABLE in the renderer.
 */
const UNREACHABLE = 'UNREACHABLE';

/**
 * contextBridge copies only the message of an Error into the page (electron/electron#25596), so
 * `code` is also written into the message as "[CODE] message"; the renderer's api-core.ts
 * (fromBridgeError) turns it back into an error with `code`.
 */
function bridgeError(code: string, message: string): Error & { code: string } {
  const error = new Error(`[${code}] ${message}`) as Error & { code: string };
  error.name = 'ApiError';
  error.code = code;
  return error;
}

async function invoke(method: MethodName, input: unknown): Promise<unknown> {
  let result: Result<unknown>;
  try {
    // The main process answers every call with a Result envelope (ipc-transport.ts).
    result = (await ipcRenderer.invoke(methodChannel(method), input ?? {})) as Result<unknown>;
  } catch (err) {
    throw bridgeError(UNREACHABLE, err instanceof Error ? err.message : String(err));
  }
  if (result.ok) return result.data;
  throw bridgeError(result.error.code, result.error.message);
}

function onEvent(listener: TickrEventListener): () => void {
  // The IpcRendererEvent is not passed on: it would hand the page a handle on ipcRenderer.
  const forward = (_event: IpcRendererEvent, message: EventMessage): void => listener(message);
  ipcRenderer.on(EVENT_CHANNEL, forward);
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL, forward);
  };
}

const methods: Partial<Record<MethodName, (input: unknown) => Promise<unknown>>> = {};
for (const method of METHOD_NAMES) methods[method] = (input) => invoke(method, input);

// TypeScript cannot follow the mapped TickrApi type through the loop above; each entry does
// forward to the method of its own name, whose answer the engine typed by the contract.
const bridge = { ...methods, onEvent } as unknown as TickrBridge;

contextBridge.exposeInMainWorld('tickr', bridge);
