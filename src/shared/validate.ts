import type { z } from 'zod';
import { TickrError } from './errors';
import { MALFORMED_KEY_MESSAGE, MALFORMED_VALUE_MESSAGE, malformedStrings } from './well-formed';

function fieldName(path: readonly PropertyKey[]): string {
  return path.length > 0 ? path.map(String).join('.') : '(input)';
}

/** Turns zod issues into one message that names each field and the rule it broke. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${fieldName(issue.path)}: ${issue.message}`)
    .join('; ');
}

/**
 * Parses `value` with `schema`, or throws BAD_INPUT naming the offending fields. Strings that
 * are not well-formed Unicode are refused first, wherever they are (well-formed.ts): no schema
 * has to remember to.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const input = value ?? {};
  const malformed = malformedStrings(input);
  if (malformed.length > 0) {
    throw new TickrError(
      'BAD_INPUT',
      malformed
        .map((m) => `${fieldName(m.path)}: ${m.isKey ? MALFORMED_KEY_MESSAGE : MALFORMED_VALUE_MESSAGE}`)
        .join('; '),
    );
  }
  const result = schema.safeParse(input);
  if (!result.success) throw new TickrError('BAD_INPUT', describeIssues(result.error.issues));
  return result.data;
}
