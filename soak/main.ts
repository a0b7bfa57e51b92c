import { parseArgs } from 'node:util';
import { runSoak } from './soak';

/**
 * `npm run soak -- --minutes N --seed S [--dir DIR]`: three `tickr serve` nodes on a private
 * Redis and MariaDB, a seeded workload and seeded faults, then the checks. Prints one summary
 * line (and the same in words); exits 1 on any violation, 2 if the soak itself failed.
 */
const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    seed: { type: 'string' },
    dir: { type: 'string' },
  },
  strict: true,
});
const minutes = Number(values.minutes);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
if (!(minutes > 0) || !Number.isInteger(seed) || seed < 0) {
  console.error('usage: npm run soak -- [--minutes N (default 5)] [--seed S (a non-negative integer)] [--dir DIR]');
  process.exit(2);
}
try {
  const result = await runSoak({ minutes, seed, ...(values.dir ? { dir: values.dir } : {}) });
  for (const line of result.lines) console.log(line);
  process.exit(result.violations.length === 0 ? 0 : 1);
} catch (err) {
  console.error(`[soak] the soak itself failed (seed ${seed}): ${(err as Error).stack ?? String(err)}`);
  process.exit(2);
}
