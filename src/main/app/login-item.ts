import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Launch at login, off by default. macOS and Windows keep the setting themselves
 * (app.setLoginItemSettings); Linux has no such call in Electron, so there it is an XDG autostart
 * entry (~/.config/autostart/tickr.desktop), which every mainstream desktop reads. The OS holds
 * the state in both cases, so a choice made in System Settings shows up here too.
 * No electron import: the shell passes `app`.
 */

export interface LoginItemApp {
  getLoginItemSettings(): { openAtLogin: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean; openAsHidden?: boolean; args?: string[] }): void;
}

export interface LoginItemOptions {
  app: LoginItemApp;
  platform?: NodeJS.Platform;
  /** The command that starts Tickr: the AppImage itself when run from one, else the executable. */
  executable?: string;
  /** Where XDG autostart entries live (XDG_CONFIG_HOME/autostart). */
  autostartDir?: string;
}

/** Started at login, the app goes to the tray without opening its window. */
export const HIDDEN_ARG = '--hidden';

export interface LoginItem {
  enabled(): boolean;
  set(enabled: boolean): void;
}

export function desktopEntry(executable: string): string {
  // Exec quoting per the Desktop Entry spec: double quotes, with " ` $ \ escaped.
  const quoted = `"${executable.replace(/["`$\\]/g, (c) => `\\${c}`)}"`;
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Tickr',
    'Comment=Job scheduler',
    `Exec=${quoted} ${HIDDEN_ARG}`,
    'X-GNOME-Autostart-enabled=true',
    'NoDisplay=false',
    '',
  ].join('\n');
}

export function loginItem(options: LoginItemOptions): LoginItem {
  const platform = options.platform ?? process.platform;
  if (platform !== 'linux') {
    return {
      enabled: () => options.app.getLoginItemSettings().openAtLogin,
      set: (enabled) =>
        options.app.setLoginItemSettings({ openAtLogin: enabled, openAsHidden: true, args: [HIDDEN_ARG] }),
    };
  }
  const dir = options.autostartDir ?? join(process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'autostart');
  const file = join(dir, 'tickr.desktop');
  const executable = options.executable ?? process.env['APPIMAGE'] ?? process.execPath;
  return {
    enabled: () => {
      try {
        return readFileSync(file, 'utf8').includes('[Desktop Entry]');
      } catch {
        return false;
      }
    },
    set: (enabled) => {
      if (!enabled) {
        rmSync(file, { force: true });
        return;
      }
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, desktopEntry(executable));
    },
  };
}
