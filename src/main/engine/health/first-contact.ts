import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Whether this data dir has ever seen MySQL answer: until it has, the app opens on the
 * connection screen rather than on a dashboard of errors. A marker file, written once.
 */
export const FIRST_CONTACT_FILE = 'mysql-contact';

export function hasContactedStore(dataDir: string): boolean {
  return existsSync(path.join(dataDir, FIRST_CONTACT_FILE));
}

export function recordStoreContact(dataDir: string, at = new Date()): void {
  if (hasContactedStore(dataDir)) return;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path.join(dataDir, FIRST_CONTACT_FILE), `${at.toISOString()}\n`);
}
