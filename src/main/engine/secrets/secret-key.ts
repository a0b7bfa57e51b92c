import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * Where a node's secret key comes from (secret-box.ts seals task secrets with it):
 * 1. `secretKey` in the config (TICKR_SECRET_KEY: 32 bytes in base64). Several nodes that share
 *    secret tasks must all have the same key, so this is how a cluster is set up.
 * 2. Otherwise `secret.key` in the data dir, made on first start. Where the platform has a
 *    keychain (the desktop app passes Electron's safeStorage as the protector) the file holds
 *    the key encrypted by it; elsewhere the key itself, readable by the node's user only (0600).
 *    A plain file is upgraded to a protected one as soon as a keychain is available.
 */

export interface KeyProtector {
  /** Shown in messages: "the OS keychain", say. */
  readonly name: string;
  available(): Promise<boolean>;
  protect(plain: string): Promise<Buffer>;
  unprotect(data: Buffer): Promise<string>;
}

export type KeySource = 'config' | 'keychain' | 'file';

export interface LoadedKey {
  key: Buffer;
  source: KeySource;
  file: string | null;
}

export const KEY_FILE = 'secret.key';

const keyFileSchema = z.object({
  version: z.literal(1),
  protectedBy: z.enum(['keychain', 'none']),
  data: z.string().min(1),
});

export function decodeKey(base64: string, where: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32 || key.toString('base64') !== base64.trim()) {
    throw new Error(`${where}: must be 32 random bytes in base64 (make one with: openssl rand -base64 32)`);
  }
  return key;
}

function writeKeyFile(file: string, content: z.infer<typeof keyFileSchema>): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(content)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

export async function loadSecretKey(options: {
  configKey?: string;
  dataDir: string;
  protector?: KeyProtector;
}): Promise<LoadedKey> {
  if (options.configKey)
    return { key: decodeKey(options.configKey, 'secretKey (TICKR_SECRET_KEY)'), source: 'config', file: null };

  const file = path.join(options.dataDir, KEY_FILE);
  const protector = options.protector && (await options.protector.available()) ? options.protector : null;
  if (!existsSync(file)) {
    const key = randomBytes(32);
    writeKeyFile(
      file,
      protector
        ? {
            version: 1,
            protectedBy: 'keychain',
            data: (await protector.protect(key.toString('base64'))).toString('base64'),
          }
        : { version: 1, protectedBy: 'none', data: key.toString('base64') },
    );
    return { key, source: protector ? 'keychain' : 'file', file };
  }

  let parsed: z.infer<typeof keyFileSchema>;
  try {
    parsed = keyFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (err) {
    throw new Error(
      `${file}: not a Tickr secret key file (${(err as Error).message.split('\n')[0]}); restore it, or set TICKR_SECRET_KEY`,
    );
  }
  if (parsed.protectedBy === 'keychain') {
    if (!protector) {
      throw new Error(
        `${file}: the key is protected by the OS keychain, which this process cannot use; run the desktop app, or set TICKR_SECRET_KEY`,
      );
    }
    let plain: string;
    try {
      plain = await protector.unprotect(Buffer.from(parsed.data, 'base64'));
    } catch (err) {
      throw new Error(`${file}: ${protector.name} could not unlock the key (${(err as Error).message})`);
    }
    return { key: decodeKey(plain, file), source: 'keychain', file };
  }
  const key = decodeKey(parsed.data, file);
  if (protector) {
    writeKeyFile(file, {
      version: 1,
      protectedBy: 'keychain',
      data: (await protector.protect(parsed.data)).toString('base64'),
    });
    return { key, source: 'keychain', file };
  }
  return { key, source: 'file', file };
}
