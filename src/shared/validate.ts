import type { z } from 'zod';
import { TickrError } from './errors';

/** Turns zod issues into one message that names each field and the rule it broke. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)';
      return `${field}: ${issue.message}`;
    })
    .join('; ');
}

/** Parses `value` with `schema`, or throws BAD_INPUT naming the offending fields. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw new TickrError('BAD_INPUT', describeIssues(result.error.issues));
  return result.data;
}
