import { describe, expect, it } from 'vitest';
import { withDeadlockRetry } from '../../src/main/engine/store/db';

const mysqlError = (code: string): Error => Object.assign(new Error(code), { code });

describe('withDeadlockRetry', () => {
  it('runs a deadlock victim again until it goes through', async () => {
    let calls = 0;
    const value = await withDeadlockRetry(async () => {
      calls += 1;
      if (calls < 3) throw mysqlError('ER_LOCK_DEADLOCK');
      return 'written';
    });
    expect(value).toBe('written');
    expect(calls).toBe(3);
  });

  it('gives up after a few tries, with the last error', async () => {
    let calls = 0;
    await expect(
      withDeadlockRetry(async () => {
        calls += 1;
        throw mysqlError('ER_LOCK_WAIT_TIMEOUT');
      }),
    ).rejects.toThrow('ER_LOCK_WAIT_TIMEOUT');
    expect(calls).toBeGreaterThan(1);
    expect(calls).toBeLessThanOrEqual(5);
  });

  it('does not retry any other error', async () => {
    let calls = 0;
    await expect(
      withDeadlockRetry(async () => {
        calls += 1;
        throw mysqlError('ER_DATA_TOO_LONG');
      }),
    ).rejects.toThrow('ER_DATA_TOO_LONG');
    expect(calls).toBe(1);
  });
});
