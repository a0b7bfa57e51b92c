/**
 * Records keyed by names a caller picks: a task's env and http headers, as the API takes them,
 * as they are stored and as a job runs with them. On a plain object such a name can hit the
 * prototype: `rec['constructor']` is Object's constructor when the task has no variable of that
 * name, and assigning `rec['__proto__']` sets the prototype instead of a key. So every such
 * record is made by `emptyRecord` (no prototype at all) and read through `ownValue`.
 */

/** A record with no prototype: every name, `__proto__` and `constructor` included, is just a key. */
export function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** The value a record holds under `name` itself, never one its prototype has. */
export function ownValue<T>(record: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}
