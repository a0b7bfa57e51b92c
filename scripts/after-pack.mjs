// electron-builder's afterPack hook: flips Electron's fuses in the packed binary, before it is
// signed and wrapped into an installer. Fuses are bits compiled into the binary that turn whole
// features off, so a packaged Tickr cannot be turned into a general-purpose Node runtime or have
// its code swapped on disk.
import { join } from 'node:path';
import { FuseV1Options, FuseVersion, flipFuses } from '@electron/fuses';

/**
 * Exactly these fuses, and no others (the rest keep Electron's defaults):
 *  - RunAsNode off: ELECTRON_RUN_AS_NODE cannot make the app a plain `node`.
 *  - NODE_OPTIONS and --inspect off: no code injected through the environment or a debugger port.
 *  - cookie encryption on: the session's cookies are encrypted with the OS keychain's key.
 *  - only the app.asar is loaded (no loose `app/` folder), and its integrity is checked against
 *    the hash electron-builder records at pack time (Electron checks it on macOS and Windows;
 *    on Linux the bit is set but not yet acted on).
 */
export const TICKR_FUSES = {
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
};

/** Where the packed Electron binary is, per platform (the fuse wire lives in that file). */
export function electronBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const product = packager.appInfo.productFilename;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return join(appOutDir, `${product}.app`);
    case 'win32':
      return join(appOutDir, `${product}.exe`);
    case 'linux':
      return join(appOutDir, packager.executableName);
    default:
      throw new Error(`afterPack: no Electron binary known for platform "${electronPlatformName}"`);
  }
}

export default async function afterPack(context) {
  const binary = electronBinary(context);
  await flipFuses(binary, {
    version: FuseVersion.V1,
    // Flipping bits breaks an arm64 macOS ad-hoc signature; re-sign ad hoc (real signing follows).
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && (context.arch === 3 || context.arch === 4),
    ...TICKR_FUSES,
  });
  console.log(`[after-pack] fuses set on ${binary}`);
}
