import { afterEach, describe, expect, it, vi } from 'vitest';
import { SelfFence, type FenceContext } from '../../src/main/engine/recovery/fencing';

/** The self-fence's decision, with a stand-in for Redis's counter and a hand-driven clock. */
function setUp(opts: { leaseMs?: number; killGraceMs?: number; running?: number; redisUp?: boolean } = {}) {
  let counter = 0;
  let now = 1_000;
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  const warn = vi.fn();
  const ctx = {
    config: { leaseMs: opts.leaseMs ?? 30_000, killGraceMs: opts.killGraceMs ?? 5_000 },
    health: { isUp: () => opts.redisUp ?? true },
    redis: {
      get: () => Promise.resolve(String(counter)),
    },
    log: { info: vi.fn(), warn, error: vi.fn() },
  } as unknown as FenceContext;
  const runner = { count: opts.running ?? 1, stopAll: vi.fn() };
  const fence = new SelfFence(ctx, runner, 'k');
  fence.renewed();
  return {
    fence,
    runner,
    warn,
    /** This node's health probe (RedisQueue.probe): counts a MySQL probe that succeeded, then reports the counter. */
    probe: (mysqlUp: boolean) => fence.observe(mysqlUp, mysqlUp ? ++counter : counter),
    othersProbe: () => counter++,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('self-fencing of a node cut off from MySQL', () => {
  afterEach(() => vi.restoreAllMocks());

  it('fences when others keep reaching MySQL and its leases are nearly out, not before', async () => {
    const { fence, runner, othersProbe, advance, warn, probe } = setUp();
    probe(true);
    advance(1_000);
    probe(false); // this node loses MySQL
    for (let i = 0; i < 5; i++) othersProbe();
    advance(20_000); // 21 s since renewal: a lease of 30 s minus the 5 s grace minus 1 s is 24 s
    expect(await fence.check()).toBe(false);
    advance(3_000);
    expect(await fence.check()).toBe(true);
    expect(runner.stopAll).toHaveBeenCalledWith('fenced');
    expect(warn.mock.calls[0]?.[0]).toMatch(/has not reached MySQL for 24 s while other nodes do/);
    expect(await fence.check()).toBe(false); // once
  });

  it('does not fence when nobody reaches MySQL (an outage for all): the jobs finish into the journal', async () => {
    const { fence, runner, othersProbe, advance, probe } = setUp();
    probe(false);
    othersProbe(); // one probe that was in flight as MySQL went down
    advance(60_000);
    expect(await fence.check()).toBe(false);
    expect(runner.stopAll).not.toHaveBeenCalled();
  });

  it('does not fence without running jobs, without Redis, or after a renewal', async () => {
    const idle = setUp({ running: 0 });
    idle.probe(false);
    idle.othersProbe();
    idle.othersProbe();
    idle.advance(60_000);
    expect(await idle.fence.check()).toBe(false);

    const noRedis = setUp({ redisUp: false });
    noRedis.probe(false);
    noRedis.othersProbe();
    noRedis.othersProbe();
    noRedis.advance(60_000);
    expect(await noRedis.fence.check()).toBe(false);

    const back = setUp();
    back.probe(false);
    back.othersProbe();
    back.othersProbe();
    back.advance(60_000);
    back.fence.renewed(); // MySQL came back and the leases were renewed
    expect(await back.fence.check()).toBe(false);
    expect(back.runner.stopAll).not.toHaveBeenCalled();
  });
});
