import { describe, expect, it } from 'vitest';
import { GroupCommit, type Settled } from '../../src/main/engine/group-commit';

/** A group writer whose writes the test lets finish one at a time. */
function gatedWriter() {
  const groups: number[][] = [];
  const gates: (() => void)[] = [];
  const write = async (items: number[]): Promise<Settled<string>[]> => {
    groups.push(items);
    await new Promise<void>((resolve) => gates.push(resolve));
    return items.map((n) => (n < 0 ? { ok: false, error: new Error(`bad ${n}`) } : { ok: true, value: `done ${n}` }));
  };
  const openNext = async (): Promise<void> => {
    while (gates.length === 0) await new Promise((r) => setTimeout(r, 1));
    gates.shift()!();
  };
  return { groups, write, openNext };
}

describe('GroupCommit', () => {
  it('writes an item at once when idle, and groups what arrives while a write is in flight', async () => {
    const w = gatedWriter();
    const group = new GroupCommit('finish', w.write, { maxItems: 10 });
    const first = group.submit(1);
    await new Promise((r) => setTimeout(r, 5));
    expect(w.groups).toEqual([[1]]);
    const later = [group.submit(2), group.submit(3), group.submit(4)];
    await w.openNext();
    expect(await first).toBe('done 1');
    await w.openNext();
    expect(await Promise.all(later)).toEqual(['done 2', 'done 3', 'done 4']);
    expect(w.groups).toEqual([[1], [2, 3, 4]]);
  });

  it('gives each caller its own error, and caps a group by count and by weight', async () => {
    const w = gatedWriter();
    const group = new GroupCommit('finish', w.write, { maxItems: 3, weight: (n) => Math.abs(n), maxWeight: 10 });
    const answers = [5, -1, 2, 9, 8, 1].map((n) =>
      group.submit(n).then(
        (v) => v,
        (e: Error) => e.message,
      ),
    );
    for (let i = 0; i < 3; i++) await w.openNext();
    expect(await Promise.all(answers)).toEqual(['done 5', 'bad -1', 'done 2', 'done 9', 'done 8', 'done 1']);
    // 5+1+2 fits 10 and 3 items; 9 alone (9+8 > 10); then 8+1.
    expect(w.groups).toEqual([[5, -1, 2], [9], [8, 1]]);
  });

  it('fails every item of a group whose write throws, and goes on with the next group', async () => {
    let calls = 0;
    const group = new GroupCommit<number, number>(
      'finish',
      async (items) => {
        calls += 1;
        if (calls === 1) throw new Error('server away');
        return items.map((n) => ({ ok: true, value: n * 2 }));
      },
      { maxItems: 10 },
    );
    const a = group.submit(1).catch((e: Error) => e.message);
    const b = group.submit(2).catch((e: Error) => e.message);
    expect(await Promise.all([a, b])).toEqual(['server away', 'server away']);
    expect(await group.submit(3)).toBe(6);
  });
});
