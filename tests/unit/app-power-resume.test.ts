import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';

/** Re-evaluating schedules on wake from sleep, against a mocked `electron` powerMonitor. */

const electron = vi.hoisted(() => ({ powerMonitor: null as unknown as EventEmitter }));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  electron.powerMonitor = new Emitter();
  return { powerMonitor: electron.powerMonitor };
});

const { reevaluateOnResume } = await import('../../src/main/app/power-resume');

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('re-evaluation on resume from sleep', () => {
  beforeEach(() => {
    electron.powerMonitor.removeAllListeners();
  });

  it("calls the engine's re-evaluation on powerMonitor 'resume', and stops after unsubscribing", async () => {
    const reevaluate = vi.fn(() => Promise.resolve());
    const off = reevaluateOnResume({ reevaluate });
    expect(reevaluate).not.toHaveBeenCalled();

    electron.powerMonitor.emit('resume');
    await settle();
    expect(reevaluate).toHaveBeenCalledOnce();

    electron.powerMonitor.emit('suspend');
    await settle();
    expect(reevaluate).toHaveBeenCalledOnce();

    off();
    electron.powerMonitor.emit('resume');
    await settle();
    expect(reevaluate).toHaveBeenCalledOnce();
    expect(electron.powerMonitor.listenerCount('resume')).toBe(0);
  });

  it('runs one more re-evaluation for resumes that arrive while one runs, not one per event', async () => {
    const first = deferred();
    const reevaluate = vi.fn().mockReturnValueOnce(first.promise).mockResolvedValue(undefined);
    reevaluateOnResume({ reevaluate });

    electron.powerMonitor.emit('resume');
    electron.powerMonitor.emit('resume');
    electron.powerMonitor.emit('resume');
    expect(reevaluate).toHaveBeenCalledTimes(1);

    first.resolve();
    await settle();
    await settle();
    expect(reevaluate).toHaveBeenCalledTimes(2);
  });

  it('reports a failed re-evaluation and keeps listening', async () => {
    const onError = vi.fn();
    const reevaluate = vi.fn().mockRejectedValueOnce(new Error('MySQL is unavailable')).mockResolvedValue(undefined);
    reevaluateOnResume({ reevaluate, onError });

    electron.powerMonitor.emit('resume');
    await settle();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'MySQL is unavailable' }));

    electron.powerMonitor.emit('resume');
    await settle();
    expect(reevaluate).toHaveBeenCalledTimes(2);
  });
});
