/** What is taken out of an attempt's log and error: the opened secrets of its task. */

/** Shorter values would redact ordinary text everywhere; they give no real protection anyway. */
export const MIN_REDACTED_CHARS = 4;

/**
 * One attempt's redaction list from several sources: long enough to redact, each once, longest
 * first, so that a secret containing another is replaced whole rather than leaving its rest.
 */
export function redactionList(...lists: readonly (readonly string[])[]): string[] {
  const all = new Set(lists.flat().filter((v) => v.length >= MIN_REDACTED_CHARS));
  return [...all].sort((a, b) => b.length - a.length);
}

/** Replaces every secret value in `text` with ***. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('***');
  return out;
}
