import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A node's id is created once and kept in its data dir, so a restarted node recognises the jobs
 * it left running (its orphans) and its pinned queue.
 */
export function loadNodeId(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'node-id');
  try {
    const id = readFileSync(file, 'utf8').trim();
    if (/^[A-Za-z0-9-]{8,64}$/.test(id)) return id;
  } catch {
    // First start: fall through and create one.
  }
  const id = randomUUID();
  writeFileSync(file, `${id}\n`, { flag: 'w' });
  return id;
}
