import type { SecretableValue } from '../../../shared/schemas';
import type { SecretBox } from './secret-box';
import { openMap, sealMap, secretsOfMap, type SecretField, type StoredMap } from './sealed-map';

/** Task environment as stored: a sealed map (sealed-map.ts) whose secrets are sealed under their own name. */
export type StoredEnv = StoredMap;
export { SecretUnavailableError } from './sealed-map';

const ENV: SecretField = { path: 'env', label: 'secret env', sealedAs: (name) => name };

/** The env from the API in its stored form (see sealMap): secrets sealed, `{secret: true}` keeps one. */
export function toStoredEnv(env: Record<string, SecretableValue>, box: SecretBox, previous: StoredEnv = {}): StoredEnv {
  return sealMap(ENV, env, box, previous);
}

/** The env a job runs with, secrets opened; throws SecretUnavailableError naming the variable. */
export function plainEnv(env: StoredEnv, box: SecretBox): Record<string, string> {
  return openMap(ENV, env, box);
}

/** The values to redact from a job's log: every secret of its env, opened. */
export function secretValues(env: Record<string, string>, stored: StoredEnv): string[] {
  return secretsOfMap(env, stored);
}
