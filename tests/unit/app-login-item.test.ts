import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HIDDEN_ARG, desktopEntry, loginItem, type LoginItemApp } from '../../src/main/app/login-item';

/** Launch at login: Electron's login item on macOS and Windows, an XDG autostart entry on Linux. */

function fakeApp(): LoginItemApp & { setLoginItemSettings: ReturnType<typeof vi.fn> } {
  let openAtLogin = false;
  return {
    getLoginItemSettings: () => ({ openAtLogin }),
    setLoginItemSettings: vi.fn((s: { openAtLogin: boolean }) => {
      openAtLogin = s.openAtLogin;
    }),
  };
}

describe('launch at login', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tickr-autostart-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is off by default and uses the login item on macOS and Windows, started hidden', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const app = fakeApp();
      const item = loginItem({ app, platform });
      expect(item.enabled()).toBe(false);
      item.set(true);
      expect(app.setLoginItemSettings).toHaveBeenCalledWith({
        openAtLogin: true,
        openAsHidden: true,
        args: [HIDDEN_ARG],
      });
      expect(item.enabled()).toBe(true);
      item.set(false);
      expect(item.enabled()).toBe(false);
    }
  });

  it('writes and removes an autostart entry on Linux', () => {
    const app = fakeApp();
    const autostartDir = join(dir, 'autostart');
    const item = loginItem({ app, platform: 'linux', executable: '/opt/Tickr/tickr', autostartDir });
    expect(item.enabled()).toBe(false);
    item.set(true);
    const file = join(autostartDir, 'tickr.desktop');
    expect(readFileSync(file, 'utf8')).toContain('Exec="/opt/Tickr/tickr" --hidden');
    expect(item.enabled()).toBe(true);
    item.set(false);
    expect(existsSync(file)).toBe(false);
    expect(item.enabled()).toBe(false);
    // Electron's login item does nothing on Linux: never called there.
    expect(app.setLoginItemSettings).not.toHaveBeenCalled();
  });

  it('quotes the executable as the Desktop Entry spec asks', () => {
    expect(desktopEntry('/home/a b/Tickr "x" $1.AppImage')).toContain(
      'Exec="/home/a b/Tickr \\"x\\" \\$1.AppImage" --hidden',
    );
  });
});
