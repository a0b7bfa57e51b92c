import { describe, expect, it, vi } from 'vitest';
import type { Result } from '../../src/shared/contract';
import { askHowToQuit, cancelRunningJobs, type MessageBox } from '../../src/main/app/quit-confirm';

/** The quit question with jobs running, and "stop them", against a fake dialog and API. */

describe('quit question', () => {
  const box = (response: number) => vi.fn<MessageBox>(() => Promise.resolve({ response }));

  it('asks nothing when no job runs', async () => {
    const showMessageBox = box(2);
    await expect(askHowToQuit({ running: () => 0, showMessageBox, drainTimeoutMs: () => 30_000 })).resolves.toBe(
      'wait',
    );
    expect(showMessageBox).not.toHaveBeenCalled();
  });

  it('offers to wait for the N running jobs or stop them, and maps the answers', async () => {
    const answers = [];
    for (const response of [0, 1, 2]) {
      const showMessageBox = box(response);
      answers.push(await askHowToQuit({ running: () => 3, showMessageBox, drainTimeoutMs: () => 30_000 }));
      expect(showMessageBox).toHaveBeenCalledWith(
        expect.objectContaining({
          message: '3 jobs are running',
          buttons: ['Wait for 3 jobs', 'Stop them', 'Cancel'],
          cancelId: 2,
          defaultId: 0,
          detail: expect.stringContaining('at most 30 s'),
        }),
      );
    }
    expect(answers).toEqual(['wait', 'stop', 'cancel']);
  });

  it('speaks of one job in the singular', async () => {
    const showMessageBox = box(0);
    await askHowToQuit({ running: () => 1, showMessageBox, drainTimeoutMs: () => 5_000 });
    expect(showMessageBox.mock.calls[0]?.[0]).toMatchObject({
      message: '1 job is running',
      buttons: ['Wait for 1 job', 'Stop it', 'Cancel'],
    });
  });
});

describe('stop the running jobs', () => {
  it("cancels this node's running jobs, going on past one that ended meanwhile", async () => {
    const calls: Array<[string, unknown]> = [];
    const api = {
      call: (method: string, input: unknown): Promise<Result<unknown>> => {
        calls.push([method, input]);
        if (method === 'jobs.list')
          return Promise.resolve({ ok: true, data: { items: [{ id: '4' }, { id: '5' }], nextCursor: null } });
        if ((input as { id: string }).id === '4') {
          return Promise.resolve({ ok: false, error: { code: 'CONFLICT', message: 'job 4 is not running' } });
        }
        return Promise.resolve({ ok: true, data: {} });
      },
    };
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await expect(cancelRunningJobs(api, 'node-a')).resolves.toEqual(['5']);
    errors.mockRestore();
    expect(calls[0]).toEqual(['jobs.list', { status: 'running', nodeId: 'node-a', limit: 1000 }]);
    expect(calls.slice(1)).toEqual([
      ['jobs.cancel', { id: '4' }],
      ['jobs.cancel', { id: '5' }],
    ]);
  });
});
