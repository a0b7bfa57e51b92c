import { defineConfig } from 'vitest/config';

/**
 * Three projects: unit, integration (real Redis and MySQL, private servers for fault tests) and
 * e2e (the headless node in Chromium). `npm test` runs all three.
 */
export default defineConfig({
  test: {
    // One test file at a time across all projects: the integration tests assert timings (a job
    // starts within 1 s of Redis's return) that a parallel e2e run on 2 cores would blur.
    maxWorkers: 1,
    projects: [
      {
        test: {
          name: 'unit',
          // .tsx: the renderer's component tests (jsdom, chosen per file with `@vitest-environment`).
          include: ['tests/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
