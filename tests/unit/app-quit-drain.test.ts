import { describe, expect, it, vi } from 'vitest';
import { installQuitDrain, type QuitDrainApp } from '../../src/main/app/quit-drain';

/**
 * The quit drain with a fake `app` that behaves like Electron's: quit() emits 'before-quit', and
 * the quit goes ahead unless a listener called preventDefault().
 */

class FakeApp implements QuitDrainApp {
  private readonly listeners: Array<(event: { preventDefault(): void }) => void> = [];
  /** How many quits actually went through (were not prevented). */
  quitsCompleted = 0;
  readonly quit = vi.fn(() => this.requestQuit());

  on(_event: 'before-quit', listener: (event: { preventDefault(): void }) => void): this {
    this.listeners.push(listener);
    return this;
  }

  /** Emits before-quit; returns whether the quit was prevented. */
  requestQuit(): boolean {
    let prevented = false;
    for (const l of this.listeners) l({ preventDefault: () => (prevented = true) });
    if (!prevented) this.quitsCompleted += 1;
    return prevented;
  }
}

class FakeSignals {
  readonly handlers = new Map<string, () => void>();
  on(signal: NodeJS.Signals, listener: () => void): this {
    this.handlers.set(signal, listener);
    return this;
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (err: Error) => void } {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('quit drain', () => {
  it('holds the first quit, stops accepting, stops the engine once, then quits', async () => {
    const app = new FakeApp();
    const stopping = deferred();
    const order: string[] = [];
    const stop = vi.fn(() => {
      order.push('stop');
      return stopping.promise;
    });
    const drain = installQuitDrain({ app, stop, stopAccepting: () => order.push('stopAccepting') });

    expect(app.requestQuit()).toBe(true);
    expect(drain.state).toBe('draining');
    // More quit requests while draining wait for the same drain.
    expect(app.requestQuit()).toBe(true);
    expect(app.requestQuit()).toBe(true);
    expect(stop).toHaveBeenCalledOnce();
    expect(app.quitsCompleted).toBe(0);

    stopping.resolve();
    await drain.done;

    expect(order).toEqual(['stopAccepting', 'stop']);
    expect(stop).toHaveBeenCalledOnce();
    expect(app.quit).toHaveBeenCalledOnce();
    expect(app.quitsCompleted).toBe(1);
    expect(drain.state).toBe('drained');
  });

  it('still quits, once, when the engine fails to stop', async () => {
    const app = new FakeApp();
    const onError = vi.fn();
    const stop = vi.fn(() => Promise.reject(new Error('MySQL went away')));
    const drain = installQuitDrain({ app, stop, onError });

    app.requestQuit();
    await drain.done;

    expect(stop).toHaveBeenCalledOnce();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'MySQL went away' }));
    expect(app.quitsCompleted).toBe(1);
  });

  it('quits anyway when the engine hangs past the limit', async () => {
    const app = new FakeApp();
    const onError = vi.fn();
    const drain = installQuitDrain({
      app,
      stop: () => new Promise<void>(() => undefined),
      timeoutMs: () => 20,
      onError,
    });

    app.requestQuit();
    await drain.done;

    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('20 ms') }));
    expect(app.quitsCompleted).toBe(1);
  });

  it('drains the same way on SIGINT and SIGTERM', async () => {
    const app = new FakeApp();
    const signals = new FakeSignals();
    const stop = vi.fn(() => Promise.resolve());
    const drain = installQuitDrain({ app, stop, signals });

    signals.handlers.get('SIGTERM')?.();
    signals.handlers.get('SIGINT')?.();
    await drain.done;

    expect(stop).toHaveBeenCalledOnce();
    expect(app.quitsCompleted).toBe(1);
  });
});

describe('quit drain with the question', () => {
  it('asks first; "cancel" keeps the app running and a later quit asks again', async () => {
    const app = new FakeApp();
    const stop = vi.fn(() => Promise.resolve());
    const confirm = vi.fn<() => Promise<'wait' | 'stop' | 'cancel'>>(() => Promise.resolve('cancel'));
    const drain = installQuitDrain({ app, stop, confirm });

    expect(app.requestQuit()).toBe(true);
    expect(drain.state).toBe('asking');
    // A second Cmd+Q while the dialog is open does not open another.
    app.requestQuit();
    expect(confirm).toHaveBeenCalledOnce();
    await Promise.resolve();
    await Promise.resolve();
    expect(drain.state).toBe('running');
    expect(stop).not.toHaveBeenCalled();

    confirm.mockResolvedValueOnce('wait');
    app.requestQuit();
    await drain.done;
    expect(confirm).toHaveBeenCalledTimes(2);
    expect(stop).toHaveBeenCalledOnce();
    expect(app.quitsCompleted).toBe(1);
  });

  it('"stop" stops the running jobs before the drain', async () => {
    const app = new FakeApp();
    const order: string[] = [];
    const drain = installQuitDrain({
      app,
      confirm: () => 'stop',
      stopRunning: async () => {
        order.push('stopRunning');
      },
      stop: async () => {
        order.push('stop');
      },
    });
    app.requestQuit();
    await drain.done;
    expect(order).toEqual(['stopRunning', 'stop']);
  });

  it('"wait" drains without stopping the jobs; a signal asks nobody', async () => {
    const app = new FakeApp();
    const signals = new FakeSignals();
    const confirm = vi.fn(() => 'stop' as const);
    const stopRunning = vi.fn(() => Promise.resolve());
    const drain = installQuitDrain({ app, stop: () => Promise.resolve(), confirm, stopRunning, signals });
    signals.handlers.get('SIGTERM')?.();
    await drain.done;
    expect(confirm).not.toHaveBeenCalled();
    expect(stopRunning).not.toHaveBeenCalled();
    expect(app.quitsCompleted).toBe(1);
  });

  it('drains anyway when the question cannot be shown', async () => {
    const app = new FakeApp();
    const onError = vi.fn();
    const stop = vi.fn(() => Promise.resolve());
    const drain = installQuitDrain({ app, stop, onError, confirm: () => Promise.reject(new Error('no display')) });
    app.requestQuit();
    await drain.done;
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'no display' }));
    expect(stop).toHaveBeenCalledOnce();
  });
});
