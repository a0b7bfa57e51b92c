import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { ICNS_TYPES, ICO_SIZES, pngSize } from '../../scripts/icon-containers.mjs';

/**
 * The installer configuration, checked without building an installer (Electron's binary cannot
 * be downloaded here): electron-builder's own schema validation, every file it names, and the
 * afterPack hook's fuses with the flip call mocked.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);

interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  files: string[];
  asar: boolean;
  afterPack: string;
  fileAssociations?: unknown;
  protocols?: unknown;
  linux: { target: string[]; icon: string; executableName: string };
  mac: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
  nsis: { installerIcon: string; uninstallerIcon: string };
}

const yaml = require('js-yaml') as { load(text: string): unknown };
// The function electron-builder itself runs on a configuration before building (ajv + scheme.json).
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, debug: { isEnabled: boolean; add(): void }): Promise<void>;
};
const quietDebug = { isEnabled: false, add: () => undefined };

const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

const flipFuses = vi.hoisted(() => vi.fn(() => Promise.resolve(1)));
vi.mock('@electron/fuses', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@electron/fuses')>()),
  flipFuses,
}));

describe('electron-builder configuration', () => {
  it("passes electron-builder's own schema validation", async () => {
    await expect(validateConfiguration(config, quietDebug)).resolves.toBeUndefined();
  });

  it('is refused by that validation when an option is misspelt (the check is real)', async () => {
    const broken = { ...config, linux: { ...config.linux, icons: 'resources/icons' } };
    await expect(validateConfiguration(broken, quietDebug)).rejects.toThrow(/configuration\.linux/);
  });

  it('names the app and builds AppImage, deb, dmg and nsis, with no file associations', () => {
    expect(config.appId).toBe('dev.tickr.app');
    expect(config.productName).toBe('Tickr');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.fileAssociations).toBeUndefined();
    expect(config.protocols).toBeUndefined();
    // OnlyLoadAppFromAsar needs the app inside an asar.
    expect(config.asar).toBe(true);
  });

  it('packs the electron-vite build, including the entry package.json points at', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      main: string;
      scripts: Record<string, string>;
    };
    expect(config.files).toContain('out/**/*');
    expect(config.files).toContain('package.json');
    expect(pkg.main).toMatch(/^\.\/out\//);
    expect(pkg.scripts['dist']).toContain('electron-builder');
  });

  it('names only files that exist, icons of the right kind and size', () => {
    const named = [
      config.directories.buildResources,
      config.afterPack,
      config.linux.icon,
      config.mac.icon,
      config.win.icon,
      config.nsis.installerIcon,
      config.nsis.uninstallerIcon,
    ];
    for (const path of named) expect(existsSync(join(root, path)), path).toBe(true);

    // The Linux icon folder: NxN.png files whose pixels match their names.
    for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) {
      const png = readFileSync(join(root, config.linux.icon, `${size}x${size}.png`));
      expect(pngSize(png)).toEqual({ width: size, height: size });
    }
    expect(readFileSync(join(root, config.mac.icon)).toString('latin1', 0, 4)).toBe('icns');
    const ico = readFileSync(join(root, config.win.icon));
    expect(ico.readUInt16LE(2)).toBe(1);
    expect(ico.readUInt16LE(4)).toBe(ICO_SIZES.length);
    expect(statSync(join(root, 'resources/icon.svg')).size).toBeGreaterThan(0);
    expect(ICNS_TYPES.length).toBeGreaterThan(0);
  });
});

describe('afterPack fuses', () => {
  const context = (electronPlatformName: string, arch = 1) => ({
    appOutDir: '/tmp/pack',
    electronPlatformName,
    arch,
    packager: { appInfo: { productFilename: 'Tickr' }, executableName: 'tickr' },
  });

  it('sets exactly the six listed fuses on the packed Linux binary', async () => {
    const { default: afterPack } = await import('../../scripts/after-pack.mjs');
    const { FuseV1Options, FuseVersion } = await import('@electron/fuses');
    flipFuses.mockClear();
    await afterPack(context('linux'));

    expect(flipFuses).toHaveBeenCalledOnce();
    expect(flipFuses).toHaveBeenCalledWith('/tmp/pack/tickr', {
      version: FuseVersion.V1,
      resetAdHocDarwinSignature: false,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    });
  });

  it('finds the binary on macOS (re-signing ad hoc on arm64) and Windows, and refuses others', async () => {
    const { default: afterPack, electronBinary } = await import('../../scripts/after-pack.mjs');
    flipFuses.mockClear();
    await afterPack(context('darwin', 3));
    expect(flipFuses).toHaveBeenCalledWith(
      '/tmp/pack/Tickr.app',
      expect.objectContaining({ resetAdHocDarwinSignature: true }),
    );
    expect(electronBinary(context('win32'))).toBe(join('/tmp/pack', 'Tickr.exe'));
    expect(() => electronBinary(context('aix'))).toThrow(/aix/);
  });
});
