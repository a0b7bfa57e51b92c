import type { MethodName } from '../../shared/contract';

/**
 * IPC channel names, shared by the main-process transport and the preload (which bundles this
 * file in). No imports beyond types, so the sandboxed preload bundle stays small.
 */

/** Prefix of every Tickr channel, so our handlers never collide with other ipcMain users. */
export const CHANNEL_PREFIX = 'tickr:';

/** The invoke channel of one contract method: `tickr:tasks.create`, … */
export function methodChannel(method: MethodName): string {
  return CHANNEL_PREFIX + method;
}

/** Main → renderer: every engine event, as an EventMessage. */
export const EVENT_CHANNEL = 'tickr:event';
