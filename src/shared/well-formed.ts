/**
 * Every string of an API input must be well-formed UTF-16. A lone surrogate has no UTF-8
 * encoding: MySQL's utf8mb4 columns, the log, a process's argv and env, and any other process
 * reading our JSON would each get a replacement character (U+FFFD) instead, so the task stored
 * or run would not be the one the caller sent. One walk over the whole input catches it in any
 * field, record key or array item of any method, including fields added later.
 */

/**
 * A surrogate code unit on its own. With the `u` flag a paired surrogate is one code point (not
 * in Cs), so only lone ones match: `String.prototype.isWellFormed`, which the ES2023 lib both
 * tsconfigs build against does not have yet.
 */
const LONE_SURROGATE = /\p{Cs}/u;

export function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

export interface MalformedString {
  /** Where it is: the field's path, or the object whose key it is. */
  path: (string | number)[];
  /** The string is a key of the object at `path`, not a value. */
  isKey: boolean;
}

/** How many are reported: enough to fix a form, not a flood. */
const MAX_REPORTED = 5;

/** A place in the input: a link to its parent, so that a step deeper costs O(1), not a path copy. */
interface Place {
  parent: Place | null;
  key: string | number;
}

function pathOf(place: Place | null): (string | number)[] {
  const path: (string | number)[] = [];
  for (let p = place; p !== null; p = p.parent) path.push(p.key);
  return path.reverse();
}

/**
 * The malformed strings of a JSON-like value, values and keys alike. Iterative and linear in
 * the input's size, so that a deeply nested input (which the schema refuses anyway) can neither
 * overflow the stack nor take quadratic time here.
 */
export function malformedStrings(value: unknown): MalformedString[] {
  const found: MalformedString[] = [];
  const stack: { value: unknown; place: Place | null }[] = [{ value, place: null }];
  while (stack.length > 0 && found.length < MAX_REPORTED) {
    const { value: v, place } = stack.pop()!;
    if (typeof v === 'string') {
      if (!isWellFormed(v)) found.push({ path: pathOf(place), isKey: false });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], place: { parent: place, key: i } });
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        const wellFormedKey = isWellFormed(k);
        // A malformed key is reported once, on its object; its value is looked at as any other.
        if (!wellFormedKey) found.push({ path: pathOf(place), isKey: true });
        stack.push({ value: child, place: { parent: place, key: wellFormedKey ? k : '?' } });
      }
    }
  }
  return found.slice(0, MAX_REPORTED);
}

export const MALFORMED_VALUE_MESSAGE =
  'must be well-formed Unicode: a lone surrogate (such as \\uD800) cannot be stored or run';
export const MALFORMED_KEY_MESSAGE =
  'has a name that is not well-formed Unicode: a lone surrogate (such as \\uD800) cannot be stored or run';
