import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Seals a task's secrets (env values, http headers and URLs) before they reach MySQL (DESIGN.md §4:
 * encrypted at rest), so a dump or a replica of the database holds no secret in clear. AES-256-GCM
 * with a fresh 96-bit nonce per value; the value's name (the env var's, `header:<name>`, `url:`)
 * is the associated data, so a sealed value cannot be moved to another name. The key never leaves
 * the node (see secret-key.ts); every node that runs secret tasks needs the same key, and the key
 * id in each sealed value says which one sealed it.
 */

const PREFIX = 'tickr-sealed:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretKeyMismatchError extends Error {
  constructor(
    readonly sealedWith: string,
    readonly nodeKey: string,
  ) {
    super(
      `it was sealed with secret key ${sealedWith} and this node has key ${nodeKey}: give every node the same key (TICKR_SECRET_KEY)`,
    );
  }
}

/** The id of a key: enough to tell keys apart in messages, nothing about the key itself. */
export function secretKeyId(key: Buffer): string {
  return createHash('sha256').update('tickr-secret-key-id').update(key).digest('hex').slice(0, 12);
}

export class SecretBox {
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error(`a secret key must be 32 bytes, not ${key.length}`);
    this.keyId = secretKeyId(key);
  }

  static isSealed(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  seal(name: string, plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(name, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${this.keyId}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  /** Opens a sealed value; throws SecretKeyMismatchError for another key, Error if it was altered. */
  open(name: string, sealed: string): string {
    if (!SecretBox.isSealed(sealed)) throw new Error('it is not a sealed value');
    const rest = sealed.slice(PREFIX.length);
    const colon = rest.indexOf(':');
    if (colon < 0) throw new Error('its sealed value is malformed');
    const keyId = rest.slice(0, colon);
    if (keyId !== this.keyId) throw new SecretKeyMismatchError(keyId, this.keyId);
    const raw = Buffer.from(rest.slice(colon + 1), 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('its sealed value is truncated');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(name, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('its sealed value failed authentication (altered, or sealed for another name)');
    }
  }
}
