import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { splitPassword, withPassword, type ServiceName } from '../../shared/connection-fields';
import { NOTIFICATION_KINDS, THEME_SETTINGS } from '../../shared/schemas';
import type { DesktopSettings } from '../../shared/types';
import { loadConfig, type ConfigOverrides, type EngineConfig } from '../engine/config';
import type { KeyProtector } from '../engine/secrets/secret-key';

/**
 * The desktop app's settings, in three files of its data dir:
 * - `config.json`: the engine's settings, read by loadConfig as on a headless node, with the
 *   Redis and MySQL URLs stored WITHOUT their passwords;
 * - `credentials.json` (0600): the two passwords, encrypted by the OS keychain (safeStorage)
 *   where there is one, else in clear in this user-only file, as the secret key is kept;
 * - `desktop.json`: the window's preferences (theme, notifications, login item, close to tray).
 * A password typed into a URL is split off before anything is written.
 */
export const CONFIG_FILE = 'config.json';
export const CREDENTIALS_FILE = 'credentials.json';
export const DESKTOP_FILE = 'desktop.json';

const credentialsSchema = z.object({
  version: z.literal(1),
  protectedBy: z.enum(['keychain', 'none']),
  redis: z.string().optional(),
  mysql: z.string().optional(),
});
type CredentialsFile = z.infer<typeof credentialsSchema>;

export const DEFAULT_DESKTOP: DesktopSettings = {
  theme: 'system',
  notifications: { jobFailed: true, serviceDown: true, serviceUp: true },
  launchAtLogin: false,
  closeToTray: true,
};

const desktopSchema = z.object({
  theme: z.enum(THEME_SETTINGS).catch(DEFAULT_DESKTOP.theme),
  notifications: z
    .object(
      Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, z.boolean().catch(true)])) as Record<
        (typeof NOTIFICATION_KINDS)[number],
        z.ZodCatch<z.ZodBoolean>
      >,
    )
    .catch(DEFAULT_DESKTOP.notifications),
  launchAtLogin: z.boolean().catch(false),
  closeToTray: z.boolean().catch(true),
});

/** Writes through a temporary file and a rename, so a crash never leaves half a file. */
function writeAtomically(file: string, text: string, mode = 0o644): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}

function readJson(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
}

export interface EngineSettingsChange {
  redisUrl?: string;
  mysqlUrl?: string;
  concurrency?: number;
  nodeName?: string;
  logCapBytes?: number;
}

export class SettingsStore {
  constructor(
    readonly dataDir: string,
    private readonly protector: KeyProtector,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  private file(name: string): string {
    return path.join(this.dataDir, name);
  }

  private async readPasswords(): Promise<Record<ServiceName, string>> {
    const out: Record<ServiceName, string> = { redis: '', mysql: '' };
    const raw = readJson(this.file(CREDENTIALS_FILE));
    if (raw === undefined) return out;
    const parsed = credentialsSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`${this.file(CREDENTIALS_FILE)}: not a Tickr credentials file`);
    for (const service of ['redis', 'mysql'] as const) {
      const value = parsed.data[service];
      if (value === undefined) continue;
      out[service] =
        parsed.data.protectedBy === 'keychain'
          ? await this.protector.unprotect(Buffer.from(value, 'base64'))
          : Buffer.from(value, 'base64').toString('utf8');
    }
    return out;
  }

  private async writePasswords(passwords: Record<ServiceName, string>): Promise<void> {
    const keychain = await this.protector.available();
    const content: CredentialsFile = { version: 1, protectedBy: keychain ? 'keychain' : 'none' };
    for (const service of ['redis', 'mysql'] as const) {
      const plain = passwords[service];
      if (plain === '') continue;
      content[service] = keychain
        ? (await this.protector.protect(plain)).toString('base64')
        : Buffer.from(plain, 'utf8').toString('base64');
    }
    writeAtomically(this.file(CREDENTIALS_FILE), `${JSON.stringify(content)}\n`, 0o600);
  }

  /** The engine's configuration: config.json and the environment, with the saved passwords put back. */
  async engineConfig(): Promise<EngineConfig> {
    const base = loadConfig({ dataDir: this.dataDir, env: this.env });
    const passwords = await this.readPasswords();
    const flags: ConfigOverrides = {};
    // A password already in the URL (from the environment) wins over the saved one.
    if (splitPassword(base.redisUrl).password === '') flags.redisUrl = withPassword(base.redisUrl, passwords.redis);
    if (splitPassword(base.mysqlUrl).password === '') flags.mysqlUrl = withPassword(base.mysqlUrl, passwords.mysql);
    return loadConfig({ dataDir: this.dataDir, env: this.env, flags });
  }

  /**
   * What the configuration would be after `change` (URLs with their passwords), validated like
   * any other source; throws naming the field before anything is written.
   */
  preview(current: EngineConfig, change: EngineSettingsChange): EngineConfig {
    const flags: ConfigOverrides = {
      redisUrl: change.redisUrl ?? current.redisUrl,
      mysqlUrl: change.mysqlUrl ?? current.mysqlUrl,
      concurrency: change.concurrency ?? current.concurrency,
      nodeName: change.nodeName ?? current.nodeName,
      logCapBytes: change.logCapBytes ?? current.logCapBytes,
    };
    return loadConfig({ dataDir: this.dataDir, env: this.env, flags });
  }

  /** Saves the engine settings of `next`: the URLs without passwords in config.json, the passwords sealed apart. */
  async saveEngine(next: EngineConfig): Promise<void> {
    const file = this.file(CONFIG_FILE);
    const raw = readJson(file);
    const existing =
      raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    const redis = splitPassword(next.redisUrl);
    const mysql = splitPassword(next.mysqlUrl);
    await this.writePasswords({ redis: redis.password, mysql: mysql.password });
    const content = {
      ...existing,
      redisUrl: redis.url,
      mysqlUrl: mysql.url,
      concurrency: next.concurrency,
      nodeName: next.nodeName,
      logCapBytes: next.logCapBytes,
    };
    writeAtomically(file, `${JSON.stringify(content, null, 2)}\n`);
  }

  readDesktop(): DesktopSettings {
    const raw = readJson(this.file(DESKTOP_FILE));
    return raw === undefined ? structuredClone(DEFAULT_DESKTOP) : desktopSchema.parse(raw);
  }

  saveDesktop(
    change: Partial<Omit<DesktopSettings, 'notifications'>> & {
      notifications?: Partial<DesktopSettings['notifications']>;
    },
  ): DesktopSettings {
    const current = this.readDesktop();
    const next: DesktopSettings = {
      theme: change.theme ?? current.theme,
      launchAtLogin: change.launchAtLogin ?? current.launchAtLogin,
      closeToTray: change.closeToTray ?? current.closeToTray,
      notifications: { ...current.notifications, ...stripUndefined(change.notifications ?? {}) },
    };
    writeAtomically(this.file(DESKTOP_FILE), `${JSON.stringify(next, null, 2)}\n`);
    return next;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
