import { splitPassword, withPassword } from '../../shared/connection-fields';
import { TickrError } from '../../shared/errors';
import type { SettingsTestConnectionInput, SettingsUpdateInput } from '../../shared/schemas';
import type { ConnectionTestResult, Settings, SettingsApply } from '../../shared/types';
import type { EngineConfig } from '../engine/config';
import { testConnection } from '../engine/health/connection-test';
import { hasContactedStore, recordStoreContact } from '../engine/health/first-contact';

/**
 * The settings methods of the contract. The desktop app implements them over its own store
 * (src/main/app/settings-store.ts) and applies a change by swapping the engine; a headless node
 * uses `headlessSettings`: its connections and engine settings come from its environment, flags
 * and config.json, where its operator keeps them, so it shows them and tests connections, but
 * refuses to change them over HTTP (a browser must not rewrite how a server reaches its database).
 */
export interface SettingsService {
  get(): Promise<Settings>;
  update(input: SettingsUpdateInput): Promise<Settings>;
  testConnection(input: SettingsTestConnectionInput): Promise<ConnectionTestResult>;
}

/** What the settings methods read of the running engine. */
export interface EngineView {
  readonly config: EngineConfig;
  readonly storeReady: boolean;
}

const IDLE: SettingsApply = { state: 'idle', message: '', at: null };

function sameEndpoint(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.hostname === y.hostname && x.port === y.port && x.username === y.username;
  } catch {
    return false;
  }
}

/**
 * The URL to use with its password: the one given, else the saved one, but only for the saved
 * host, port and user. Otherwise a caller could send the saved password to a server of its own.
 */
export function resolvePassword(url: string, given: string | undefined, savedUrl: string): string {
  if (given !== undefined) return withPassword(splitPassword(url).url, given);
  if (splitPassword(url).password !== '') return url;
  return sameEndpoint(url, savedUrl) ? withPassword(url, splitPassword(savedUrl).password) : url;
}

/** The Settings answer for an engine config: URLs without passwords, never a password. */
export function settingsOf(
  config: EngineConfig,
  extra: Pick<Settings, 'desktop' | 'editable' | 'apply'> & { storeReady: boolean },
): Settings {
  if (extra.storeReady) recordStoreContact(config.dataDir);
  const connection = (url: string): Settings['redis'] => {
    const { url: shown, password } = splitPassword(url);
    return { url: shown, passwordSet: password !== '' };
  };
  return {
    redis: connection(config.redisUrl),
    mysql: connection(config.mysqlUrl),
    concurrency: config.concurrency,
    nodeName: config.nodeName,
    logCapBytes: config.logCapBytes,
    desktop: extra.desktop,
    editable: extra.editable,
    firstRun: !extra.storeReady && !hasContactedStore(config.dataDir),
    apply: extra.apply,
  };
}

export function testWithSaved(input: SettingsTestConnectionInput, config: EngineConfig): Promise<ConnectionTestResult> {
  const saved = input.service === 'redis' ? config.redisUrl : config.mysqlUrl;
  return testConnection({
    service: input.service,
    url: resolvePassword(input.url, input.password, saved),
    timeoutMs: input.timeoutMs,
  });
}

export function headlessSettings(engine: EngineView): SettingsService {
  return {
    get: async () =>
      settingsOf(engine.config, { desktop: null, editable: false, apply: IDLE, storeReady: engine.storeReady }),
    update: async (input) => {
      // Nothing asked, nothing refused: the answer is the settings as they are.
      const field = Object.keys(input).find((k) => input[k as keyof SettingsUpdateInput] !== undefined);
      if (field === undefined) return headlessSettings(engine).get();
      throw new TickrError(
        'FORBIDDEN',
        `${field}: a headless node is configured by its environment (TICKR_*), flags and config.json; change it there and restart the node`,
      );
    },
    testConnection: (input) => testWithSaved(input, engine.config),
  };
}
