/**
 * The one-click first task offered while there are no jobs: safe anywhere, done in a moment,
 * and its output shows what a job's log looks like.
 */
export const EXAMPLE_TASK = { name: 'hello from tickr', command: 'echo hello from tickr' } as const;
