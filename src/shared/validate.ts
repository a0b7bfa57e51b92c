import type { z } from 'zod';
import { TickrError } from './errors';
import { MALFORMED_KEY_MESSAGE, MALFORMED_VALUE_MESSAGE, malformedStrings } from './well-formed';

function fieldName(path: readonly PropertyKey[]): string {
  return path.length > 0 ? path.map(String).join('.') : '(input)';
}

/**
 * What an issue says. A record key that breaks its rule comes as zod's bare "Invalid key in
 * record", with the rule's own message inside: that one says what a valid name looks like.
 */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_key' && issue.issues.length > 0) return issue.issues[0]!.message;
  return issue.message;
}

/** Turns zod issues into one message that names each field and the rule it broke. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${fieldName(issue.path)}: ${issueMessage(issue)}`)
    .join('; ');
}

/**
 * Parses `value` with `schema`, or throws BAD_INPUT naming the offending fields. Of an input the
 * schema accepts, strings that are not well-formed Unicode are refused too, wherever they are
 * (well-formed.ts): no schema has to remember to. The schema goes first, so that a field it does
 * not know is called unknown rather than malformed.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const input = value ?? {};
  const result = schema.safeParse(input);
  if (!result.success) throw new TickrError('BAD_INPUT', describeIssues(result.error.issues));
  const malformed = malformedStrings(input);
  if (malformed.length > 0) {
    throw new TickrError(
      'BAD_INPUT',
      malformed
        .map((m) => `${fieldName(m.path)}: ${m.isKey ? MALFORMED_KEY_MESSAGE : MALFORMED_VALUE_MESSAGE}`)
        .join('; '),
    );
  }
  return result.data;
}
