import { describe, expect, it } from 'vitest';
import { eventConditions } from '../../src/main/engine/store/events';
import { eventsListSchema } from '../../src/shared/schemas';

/** events.list's filters on the server: the schema that refuses, the SQL conditions it becomes. */
describe('the events filter on the server', () => {
  it('becomes SQL conditions on the server, with a family a LIKE whose _ is escaped', () => {
    expect(eventConditions({})).toEqual([]);
    expect(eventConditions({ kind: 'redis.rebuilt' })).toEqual([['kind = ?', 'redis.rebuilt']]);
    expect(eventConditions({ kind: 'store_x.*' })).toEqual([['kind LIKE ?', 'store\\_x.%']]);
    expect(eventConditions({ level: 'info' })).toEqual([]);
    expect(eventConditions({ level: 'warn' })).toEqual([['level IN (?, ?)', 'warn', 'error']]);
    expect(eventConditions({ nodeId: 'node-1234' })).toEqual([['node_id = ?', 'node-1234']]);
  });

  it('refuses a kind with a wildcard of its own, an unknown level, a bad node id, naming the field', () => {
    const refusal = (input: unknown): string => {
      const r = eventsListSchema.safeParse(input);
      return r.success ? 'accepted' : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    };
    expect(refusal({ kind: 'redis.%' })).toMatch(/^kind: must be an event kind/);
    expect(refusal({ kind: '*' })).toMatch(/^kind: /);
    expect(refusal({ level: 'debug' })).toMatch(/^level: /);
    expect(refusal({ nodeId: 'x' })).toMatch(/^nodeId: must be a node id/);
    expect(refusal({ kind: 'redis.*', level: 'error', nodeId: 'node-1234' })).toBe('accepted');
  });
});
