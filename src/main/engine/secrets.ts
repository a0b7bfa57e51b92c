import type { EnvValue } from '../../shared/schemas';

/**
 * Task environment as stored. A secret keeps its value so that any node can run the task, but the
 * API only ever shows that it exists, and its value is redacted from logs and events.
 */
export type StoredEnv = Record<string, string | { value: string; secret: true }>;

export function toStoredEnv(env: Record<string, EnvValue>): StoredEnv {
  return { ...env };
}

export function plainEnv(env: StoredEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) out[k] = typeof v === 'string' ? v : v.value;
  return out;
}

export function secretValues(env: StoredEnv): string[] {
  // Very short values would redact ordinary text everywhere; they give no real protection anyway.
  return Object.values(env)
    .filter((v): v is { value: string; secret: true } => typeof v !== 'string')
    .map((v) => v.value)
    .filter((v) => v.length >= 4);
}

/** Replaces every secret value in `text` with ***. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('***');
  return out;
}
