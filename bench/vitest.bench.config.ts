import { defineConfig } from 'vitest/config';

/**
 * `npm run bench` (scripts/bench.mjs). Benchmarks are plain vitest files so that engine code runs
 * through Vite as in the tests; they print their tables and assert only correctness, never time.
 * Forks: each file gets a fresh worker process (the memory benchmark relies on it); one file at a
 * time, so benchmarks never compete for the 2 cores. --expose-gc lets the memory benchmark
 * measure after a full collection.
 */
export default defineConfig({
  test: {
    include: ['bench/**/*.bench-run.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    execArgv: ['--expose-gc'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
