import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { isolated } from '../helpers/isolated';
import { REDIS_URL } from '../helpers/services';

/**
 * An idle node's cost to a shared Redis: its commands, counted by MONITOR for this node's own
 * connections only (their addresses, from CLIENT LIST), so other clients of the server don't count.
 */
describe('an idle node (real Redis and MariaDB)', () => {
  const env = isolated();

  it('sends Redis at most one command a second', async () => {
    const node = await env.node({ config: { sweepMs: 30_000 } });
    await new Promise((r) => setTimeout(r, 1_500)); // past the start's own commands
    const admin = new Redis(REDIS_URL);
    const monitor = new Redis(REDIS_URL);
    try {
      const clients = String(await admin.client('LIST'))
        .split('\n')
        .filter((line) => line.includes(`name=tickr:${node.engine.nodeId}:`));
      expect(clients).toHaveLength(3);
      const addrs = new Set(clients.map((line) => /(?:^| )addr=(\S+)/.exec(line)?.[1]));
      const seen: string[] = [];
      const feed = await monitor.monitor();
      feed.on('monitor', (_time: string, args: string[], source: string) => {
        if (addrs.has(source.split(' ').pop())) seen.push(args.join(' ').slice(0, 60));
      });
      const seconds = 10;
      await new Promise((r) => setTimeout(r, seconds * 1_000));
      feed.disconnect();
      expect(seen.length, seen.join('\n')).toBeLessThanOrEqual(seconds);
      expect(seen.length).toBeGreaterThan(0); // it does probe
    } finally {
      admin.disconnect();
      monitor.disconnect();
    }
  });
});
