/**
 * The server's log: lines for an operator. They name what failed, never a token or a request
 * body, so callers pass only paths, method names and error descriptions.
 */

export type ServerLog = (line: string) => void;

/** A caught value as one log line: an Error's name and message, anything else as its string. */
export function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
