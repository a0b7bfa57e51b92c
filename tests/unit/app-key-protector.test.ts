import { beforeEach, describe, expect, it, vi } from 'vitest';

/** The keychain protector against a mocked `electron` safeStorage. */

const electron = vi.hoisted(() => ({
  safeStorage: {
    available: true,
    backend: 'gnome_libsecret' as string,
    isAsyncEncryptionAvailable: vi.fn(() => Promise.resolve(electron.safeStorage.available)),
    getSelectedStorageBackend: vi.fn(() => electron.safeStorage.backend),
    encryptStringAsync: vi.fn((s: string) => Promise.resolve(Buffer.from(`enc(${s})`))),
    decryptStringAsync: vi.fn((b: Buffer) =>
      Promise.resolve({ result: b.toString().slice(4, -1), shouldReEncrypt: false }),
    ),
  },
}));

vi.mock('electron', () => ({ safeStorage: electron.safeStorage }));

const { keychainProtector } = await import('../../src/main/app/key-protector');

describe('the OS keychain as the secret key protector', () => {
  beforeEach(() => {
    electron.safeStorage.available = true;
    electron.safeStorage.backend = 'gnome_libsecret';
  });

  it('protects and unlocks through safeStorage', async () => {
    const p = keychainProtector('linux');
    expect(await p.available()).toBe(true);
    const locked = await p.protect('the-key');
    expect(locked.toString()).toBe('enc(the-key)');
    expect(await p.unprotect(locked)).toBe('the-key');
  });

  it("does not count Linux's hard-coded 'basic_text' password, or no encryption, as a keychain", async () => {
    electron.safeStorage.backend = 'basic_text';
    expect(await keychainProtector('linux').available()).toBe(false);
    expect(await keychainProtector('darwin').available()).toBe(true); // the backend is a Linux notion
    electron.safeStorage.available = false;
    expect(await keychainProtector('darwin').available()).toBe(false);
  });
});
