import type { SecretableValue } from '../../../shared/schemas';
import { TickrError } from '../../../shared/errors';
import { emptyRecord, ownValue } from '../../../shared/own-record';
import type { MaskedValues } from '../../../shared/types';
import { MIN_REDACTED_CHARS } from './redaction';
import type { SecretBox } from './secret-box';

/**
 * A map of names to values of which some are secrets, as a task stores it: its env and its http
 * headers. A secret is kept sealed (secret-box.ts), so that any node with the key can run the
 * task while MySQL holds no secret in clear; the API only ever shows that it exists, and its
 * value is redacted from logs and events. `{secret, value}` is how env rows written before
 * sealing hold a secret: still read, and sealed at the task's next update.
 */
export type StoredSecret = { secret: true; sealed: string } | { secret: true; value: string };
export type StoredMap = Record<string, string | StoredSecret>;

/** A sealed secret, or one of the rows from before sealing that hold it in clear: told by an own key. */
function isSealed(v: StoredSecret): v is { secret: true; sealed: string } {
  return Object.hasOwn(v, 'sealed');
}

/** Which map of a task this is: how errors name it, and what its values are sealed under. */
export interface SecretField {
  /** Its path in the API, for errors: `env`, `http.headers`. */
  path: string;
  /** What one of its secrets is called when it cannot be opened: `secret env`, `secret header`. */
  label: string;
  /**
   * The associated data a value of `name` is sealed under. Distinct across fields (env names
   * cannot hold a `:`, header names are prefixed `header:`), so that a sealed value moved to
   * another name, or from a header to an env var of the same name, fails to open.
   */
  sealedAs(name: string): string;
}

/**
 * Turns a map from the API into the stored form: secrets sealed, and `{secret: true}` without a
 * value keeping the task's current secret of that name (the API never shows its value, so an
 * edit could not send it back).
 */
export function sealMap(
  field: SecretField,
  input: Record<string, SecretableValue>,
  box: SecretBox,
  previous: StoredMap = {},
): StoredMap {
  // Names are the caller's (`constructor` is a fine env name): never looked up on a prototype.
  const out = emptyRecord<string | StoredSecret>();
  for (const [name, v] of Object.entries(input)) {
    if (typeof v === 'string') out[name] = v;
    else if (v.value !== undefined) out[name] = { secret: true, sealed: box.seal(field.sealedAs(name), v.value) };
    else {
      const kept = ownValue(previous, name);
      if (kept === undefined || typeof kept === 'string') {
        throw new TickrError(
          'BAD_INPUT',
          `${field.path}.${name}: {secret: true} without a value keeps the task's stored secret, and this task has no secret ${name}`,
        );
      }
      out[name] = isSealed(kept) ? kept : { secret: true, sealed: box.seal(field.sealedAs(name), kept.value) };
    }
  }
  return out;
}

export class SecretUnavailableError extends Error {}

/** The map a job runs with, secrets opened; throws SecretUnavailableError naming the value. */
export function openMap(field: SecretField, stored: StoredMap, box: SecretBox): Record<string, string> {
  const out = emptyRecord<string>();
  for (const [name, v] of Object.entries(stored)) {
    if (typeof v === 'string') out[name] = v;
    else if (!isSealed(v)) out[name] = v.value;
    else {
      try {
        out[name] = box.open(field.sealedAs(name), v.sealed);
      } catch (err) {
        throw new SecretUnavailableError(
          `${field.label} ${name} cannot be opened on this node: ${(err as Error).message}`,
        );
      }
    }
  }
  return out;
}

/** The map as the API shows it: each secret as `{secret: true}`. */
export function maskedMap(stored: StoredMap): MaskedValues {
  const out: MaskedValues = emptyRecord();
  for (const [k, v] of Object.entries(stored)) out[k] = typeof v === 'string' ? v : { secret: true };
  return out;
}

/** The values to redact from a job's log: every secret of the map, opened. */
export function secretsOfMap(opened: Record<string, string>, stored: StoredMap): string[] {
  return Object.keys(stored)
    .filter((name) => typeof stored[name] !== 'string')
    .map((name) => ownValue(opened, name) ?? '')
    .filter((v) => v.length >= MIN_REDACTED_CHARS);
}
