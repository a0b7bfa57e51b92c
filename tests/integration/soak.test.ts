import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runSoak } from '../../soak/soak';

/**
 * Issue 13 in CI: the soak (soak/soak.ts) for 60 s with a fixed seed: three `tickr serve` nodes
 * from the build on a private Redis and MariaDB, the seeded workload and faults, then every check.
 * Zero violations. The run folder is kept when it fails, for reading and replay.
 */
describe('soak: 60 s of random faults across three nodes', () => {
  it('loses nothing, runs nothing twice, leaves nothing stuck and leaks no secret (seed 1302)', async () => {
    const lines: string[] = [];
    const result = await runSoak({ minutes: 1, seed: 1302, print: (l) => lines.push(l) });
    for (const line of result.lines) console.log(line);
    const { summary } = result;
    // The run did real work under real faults, or zero violations would mean nothing.
    expect(summary.jobs).toBeGreaterThan(200);
    expect(summary.occurrences).toBeGreaterThan(50);
    expect(Object.values(summary.faults).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(4);
    expect(result.violations, lines.join('\n')).toEqual([]);
    expect(summary).toMatchObject({ lost: 0, duplicated: 0, stuck: 0, overlaps: 0 });
    rmSync(summary.runDir, { recursive: true, force: true });
  }, 150_000);
});
