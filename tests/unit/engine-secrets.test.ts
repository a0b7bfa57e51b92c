import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretBox, SecretKeyMismatchError } from '../../src/main/engine/secrets/secret-box';
import { KEY_FILE, loadSecretKey, type KeyProtector } from '../../src/main/engine/secrets/secret-key';
import {
  plainEnv,
  SecretUnavailableError,
  secretValues,
  toStoredEnv,
  type StoredEnv,
} from '../../src/main/engine/secrets/task-env';
import { tempDir } from '../helpers/services';

const box = new SecretBox(randomBytes(32));

describe('sealing secrets (AES-256-GCM, the name as associated data)', () => {
  it('round-trips, with a fresh ciphertext each time and no clear text in it', () => {
    const a = box.seal('API_TOKEN', 'hunter2-very-secret');
    const b = box.seal('API_TOKEN', 'hunter2-very-secret');
    expect(a).not.toBe(b);
    expect(a).not.toContain('hunter2');
    expect(a.startsWith(`tickr-sealed:v1:${box.keyId}:`)).toBe(true);
    expect(box.open('API_TOKEN', a)).toBe('hunter2-very-secret');
    expect(box.open('EMPTY', box.seal('EMPTY', ''))).toBe('');
  });

  it('refuses a value moved to another name, or altered', () => {
    const sealed = box.seal('A', 'value-of-a');
    expect(() => box.open('B', sealed)).toThrow(/failed authentication/);
    const raw = Buffer.from(sealed.split(':').pop()!, 'base64');
    raw.writeUInt8(raw.readUInt8(raw.length - 1) ^ 1, raw.length - 1);
    const altered = `${sealed.slice(0, sealed.lastIndexOf(':') + 1)}${raw.toString('base64')}`;
    expect(() => box.open('A', altered)).toThrow(/failed authentication/);
    expect(() => box.open('A', 'plain')).toThrow(/not a sealed value/);
  });

  it('names both keys when the value was sealed with another one', () => {
    const other = new SecretBox(randomBytes(32));
    const sealed = other.seal('A', 'x');
    let caught: unknown;
    try {
      box.open('A', sealed);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SecretKeyMismatchError);
    expect((caught as Error).message).toContain(
      `sealed with secret key ${other.keyId} and this node has key ${box.keyId}`,
    );
  });
});

describe('the stored env', () => {
  it('seals secrets, keeps plain values, and opens them for the job', () => {
    const stored = toStoredEnv({ PLAIN: 'p', TOKEN: { value: 's3cret-value', secret: true } }, box);
    expect(stored.PLAIN).toBe('p');
    expect(JSON.stringify(stored)).not.toContain('s3cret-value');
    const env = plainEnv(stored, box);
    expect(env).toEqual({ PLAIN: 'p', TOKEN: 's3cret-value' });
    expect(secretValues(env, stored)).toEqual(['s3cret-value']);
  });

  it('keeps the stored secret for {secret: true} without a value, and reseals a legacy clear one', () => {
    const previous: StoredEnv = {
      TOKEN: { secret: true, sealed: box.seal('TOKEN', 'kept-value') },
      OLD: { secret: true, value: 'legacy-clear' },
    };
    const stored = toStoredEnv({ TOKEN: { secret: true }, OLD: { secret: true } }, box, previous);
    expect(stored.TOKEN).toBe(previous.TOKEN);
    expect(JSON.stringify(stored)).not.toContain('legacy-clear');
    expect(plainEnv(stored, box)).toEqual({ TOKEN: 'kept-value', OLD: 'legacy-clear' });
  });

  it('refuses {secret: true} without a value when there is no secret to keep, naming the field', () => {
    expect(() => toStoredEnv({ NEW: { secret: true } }, box, { NEW: 'plain' })).toThrow(
      /env\.NEW: \{secret: true\} without a value keeps the task's stored secret/,
    );
  });

  it('says which variable cannot be opened on a node with another key', () => {
    const stored = toStoredEnv({ TOKEN: { value: 'abc123', secret: true } }, new SecretBox(randomBytes(32)));
    expect(() => plainEnv(stored, box)).toThrow(SecretUnavailableError);
    expect(() => plainEnv(stored, box)).toThrow(
      /secret env TOKEN cannot be opened on this node: it was sealed with secret key/,
    );
  });
});

/** A stand-in keychain: reversible, but visibly not the key itself. */
function fakeKeychain(available = true): KeyProtector & { calls: number } {
  const p = {
    name: 'the test keychain',
    calls: 0,
    available: () => Promise.resolve(available),
    protect: (plain: string) => {
      p.calls++;
      return Promise.resolve(Buffer.from(`locked:${[...plain].reverse().join('')}`));
    },
    unprotect: (data: Buffer) => {
      const text = data.toString();
      if (!text.startsWith('locked:')) return Promise.reject(new Error('not ours'));
      return Promise.resolve([...text.slice(7)].reverse().join(''));
    },
  };
  return p;
}

describe('the secret key', () => {
  const dirs: { remove(): void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
  const dataDir = (): string => {
    const d = tempDir('tickr-key');
    dirs.push(d);
    return d.path;
  };

  it('comes from the config when set, and touches no file', async () => {
    const dir = dataDir();
    const key = randomBytes(32);
    const loaded = await loadSecretKey({ configKey: key.toString('base64'), dataDir: dir });
    expect(loaded.source).toBe('config');
    expect(loaded.key.equals(key)).toBe(true);
    expect(() => statSync(path.join(dir, KEY_FILE))).toThrow();
  });

  it('without a keychain: made once in the data dir, readable by its user only, the same at the next start', async () => {
    const dir = dataDir();
    const first = await loadSecretKey({ dataDir: dir });
    expect(first.source).toBe('file');
    expect(statSync(path.join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    const again = await loadSecretKey({ dataDir: dir, protector: fakeKeychain(false) });
    expect(again.key.equals(first.key)).toBe(true);
  });

  it('with a keychain: the file holds the key only as the keychain protected it', async () => {
    const dir = dataDir();
    const keychain = fakeKeychain();
    const first = await loadSecretKey({ dataDir: dir, protector: keychain });
    expect(first.source).toBe('keychain');
    const file = readFileSync(path.join(dir, KEY_FILE), 'utf8');
    expect(file).not.toContain(first.key.toString('base64'));
    expect((await loadSecretKey({ dataDir: dir, protector: keychain })).key.equals(first.key)).toBe(true);
    await expect(loadSecretKey({ dataDir: dir })).rejects.toThrow(
      /protected by the OS keychain, which this process cannot use; run the desktop app, or set TICKR_SECRET_KEY/,
    );
  });

  it('moves a plain key file under the keychain once one is available, keeping the key', async () => {
    const dir = dataDir();
    const plain = await loadSecretKey({ dataDir: dir });
    const keychain = fakeKeychain();
    const upgraded = await loadSecretKey({ dataDir: dir, protector: keychain });
    expect(upgraded.source).toBe('keychain');
    expect(upgraded.key.equals(plain.key)).toBe(true);
    expect(keychain.calls).toBe(1);
    expect(readFileSync(path.join(dir, KEY_FILE), 'utf8')).not.toContain(plain.key.toString('base64'));
  });

  it('stops with a clear error on a damaged key file, and never replaces it', async () => {
    const dir = dataDir();
    writeFileSync(path.join(dir, KEY_FILE), 'garbage');
    await expect(loadSecretKey({ dataDir: dir })).rejects.toThrow(
      /not a Tickr secret key file .*restore it, or set TICKR_SECRET_KEY/,
    );
    expect(readFileSync(path.join(dir, KEY_FILE), 'utf8')).toBe('garbage');
    writeFileSync(path.join(dir, KEY_FILE), JSON.stringify({ version: 1, protectedBy: 'none', data: 'c2hvcnQ=' }));
    await expect(loadSecretKey({ dataDir: dir })).rejects.toThrow(/must be 32 random bytes in base64/);
  });
});
