import type { EnvValue } from '../../../shared/schemas';
import { TickrError } from '../../../shared/errors';
import type { SecretBox } from './secret-box';

/**
 * Task environment as stored. A secret is kept sealed (secret-box.ts), so that any node with the
 * key can run the task while MySQL holds no secret in clear; the API only ever shows that it
 * exists, and its value is redacted from logs and events. `{secret, value}` is how rows written
 * before sealing hold a secret: still read, and sealed at the task's next update.
 */
export type StoredSecret = { secret: true; sealed: string } | { secret: true; value: string };
export type StoredEnv = Record<string, string | StoredSecret>;

/**
 * Turns an env from the API into the stored form: secrets sealed, and `{secret: true}` without a
 * value keeping the task's current secret of that name (the API never shows its value, so an
 * edit could not send it back).
 */
export function toStoredEnv(env: Record<string, EnvValue>, box: SecretBox, previous: StoredEnv = {}): StoredEnv {
  const out: StoredEnv = {};
  for (const [name, v] of Object.entries(env)) {
    if (typeof v === 'string') out[name] = v;
    else if (v.value !== undefined) out[name] = { secret: true, sealed: box.seal(name, v.value) };
    else {
      const kept = previous[name];
      if (kept === undefined || typeof kept === 'string') {
        throw new TickrError(
          'BAD_INPUT',
          `env.${name}: {secret: true} without a value keeps the task's stored secret, and this task has no secret ${name}`,
        );
      }
      out[name] = 'sealed' in kept ? kept : { secret: true, sealed: box.seal(name, kept.value) };
    }
  }
  return out;
}

export class SecretUnavailableError extends Error {}

/** The env a job runs with, secrets opened; throws SecretUnavailableError naming the variable. */
export function plainEnv(env: StoredEnv, box: SecretBox): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(env)) {
    if (typeof v === 'string') out[name] = v;
    else if ('value' in v) out[name] = v.value;
    else {
      try {
        out[name] = box.open(name, v.sealed);
      } catch (err) {
        throw new SecretUnavailableError(`secret env ${name} cannot be opened on this node: ${(err as Error).message}`);
      }
    }
  }
  return out;
}

/** The values to redact from a job's log: every secret of its env, opened. */
export function secretValues(env: Record<string, string>, stored: StoredEnv): string[] {
  // Very short values would redact ordinary text everywhere; they give no real protection anyway.
  return Object.keys(stored)
    .filter((name) => typeof stored[name] !== 'string')
    .map((name) => env[name] ?? '')
    .filter((v) => v.length >= 4);
}

/** Replaces every secret value in `text` with ***. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('***');
  return out;
}
