import { TickrError } from '../../shared/errors';
import type { SettingsUpdateInput } from '../../shared/schemas';
import type { ConnectionTestResult, DesktopSettings } from '../../shared/types';
import { resolvePassword, settingsOf, type SettingsService } from '../api/settings';
import type { EngineConfig } from '../engine/config';
import { testConnection, type ConnectionTestInput } from '../engine/health/connection-test';
import type { EngineSwitch, SwitchableEngine } from './engine-switch';
import type { EngineSettingsChange, SettingsStore } from './settings-store';

export interface DesktopSettingsOptions<E extends SwitchableEngine> {
  store: SettingsStore;
  engines: EngineSwitch<E>;
  /** Applies the window preferences at once (login item, close to tray, notifications). */
  applyDesktop(settings: DesktopSettings): void;
  /** The connection test (a fake in the unit tests). */
  test?: (input: ConnectionTestInput) => Promise<ConnectionTestResult>;
}

const ENGINE_KEYS = ['redisUrl', 'mysqlUrl', 'concurrency', 'nodeName', 'logCapBytes'] as const;

function changedKeys(a: EngineConfig, b: EngineConfig): string[] {
  return ENGINE_KEYS.filter((k) => a[k] !== b[k]);
}

/**
 * The settings methods in the desktop app. An update is checked in full before anything is
 * dropped: the values against the config schema, and every changed connection by a real
 * connection test, so a wrong password or a closed port is refused while the running engine
 * goes on. Only then are the files written and the engine switched.
 */
export function desktopSettings<E extends SwitchableEngine>(options: DesktopSettingsOptions<E>): SettingsService {
  const { store, engines } = options;
  const test = options.test ?? testConnection;
  const current = (): EngineConfig => engines.engine.config;
  const get = async () =>
    settingsOf(current(), {
      desktop: store.readDesktop(),
      editable: true,
      apply: engines.progress,
      storeReady: engines.engine.storeReady,
    });

  const refuse = (message: string): never => {
    engines.report('failed', message);
    throw new TickrError('BAD_INPUT', message);
  };

  return {
    get,
    async update(input: SettingsUpdateInput) {
      if (engines.busy) throw new TickrError('CONFLICT', 'settings: a change is being applied already');
      const now = current();
      const change: EngineSettingsChange = {
        concurrency: input.concurrency,
        nodeName: input.nodeName,
        logCapBytes: input.logCapBytes,
      };
      if (input.redis) change.redisUrl = resolvePassword(input.redis.url, input.redis.password, now.redisUrl);
      if (input.mysql) change.mysqlUrl = resolvePassword(input.mysql.url, input.mysql.password, now.mysqlUrl);
      let next: EngineConfig;
      try {
        next = store.preview(now, change);
      } catch (err) {
        // loadConfig says "invalid configuration: <field>: …"; the answer starts with the field.
        return refuse((err as Error).message.replace(/^invalid configuration: /, ''));
      }
      const changed = changedKeys(now, next);
      if (changed.length > 0) engines.report('validating', 'testing the new settings');
      for (const [service, key] of [
        ['redis', 'redisUrl'],
        ['mysql', 'mysqlUrl'],
      ] as const) {
        if (!changed.includes(key)) continue;
        const result = await test({ service, url: next[key] });
        if (!result.ok) refuse(`${service}.url: ${result.problem?.message ?? 'the connection test failed'}`);
      }
      if (input.desktop) options.applyDesktop(store.saveDesktop(input.desktop));
      if (changed.length > 0) {
        await store.saveEngine(next);
        await engines.switchTo(next);
      }
      return get();
    },
    testConnection: (input) =>
      test({
        service: input.service,
        url: resolvePassword(
          input.url,
          input.password,
          input.service === 'redis' ? current().redisUrl : current().mysqlUrl,
        ),
        timeoutMs: input.timeoutMs,
      }),
  };
}
