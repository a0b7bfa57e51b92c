import { safeStorage } from 'electron';
import type { KeyProtector } from '../engine/secrets/secret-key';

/**
 * The OS keychain, through Electron's safeStorage (Keychain on macOS, DPAPI on Windows, the
 * Secret Service or KWallet on Linux), protecting the data dir's secret key. On Linux without a
 * secret store, safeStorage falls back to a hard-coded password ('basic_text'): that protects
 * nothing, so it counts as no keychain and the key file stays readable by this user only.
 * The async API: the synchronous one is deprecated in Electron 45 and removed in 46.
 */
export function keychainProtector(platform: NodeJS.Platform = process.platform): KeyProtector {
  return {
    name: 'the OS keychain',
    async available() {
      if (!(await safeStorage.isAsyncEncryptionAvailable())) return false;
      return platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
    },
    protect: (plain) => safeStorage.encryptStringAsync(plain),
    async unprotect(data) {
      return (await safeStorage.decryptStringAsync(data)).result;
    },
  };
}
