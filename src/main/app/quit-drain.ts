/**
 * Quitting drains the engine first (DESIGN §2.9): the first quit request is held back, new
 * calls are refused, `stop()` lets running jobs finish and records their final states, and only
 * then does the app quit for real. SIGINT and SIGTERM take the same path.
 *
 * No electron import: the caller passes `app`, which keeps this testable with a plain object.
 */

export interface QuitDrainApp {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

export interface QuitDrainOptions {
  app: QuitDrainApp;
  /** Drains and closes the engine. Called at most once. */
  stop(): Promise<void>;
  /** Runs first, synchronously: stop accepting new calls. */
  stopAccepting?(): void;
  /**
   * Upper bound on `stop()`, read when the drain starts (the config is loaded after this is
   * installed). The engine bounds its own drain; this is the net for an engine that hangs, so a
   * quit request always ends in a quit. Undefined: no bound.
   */
  timeoutMs?(): number | undefined;
  /** Signals that start the drain; pass `process` (tests pass a fake or nothing). */
  signals?: { on(signal: NodeJS.Signals, listener: () => void): unknown };
  /**
   * Asked on a quit from the user (not a signal) before anything stops: with jobs running, the
   * shell asks whether to wait for them or stop them (quit-confirm.ts). 'cancel' keeps the app.
   */
  confirm?(): QuitChoice | Promise<QuitChoice>;
  /** Runs before stop() when the user chose to stop the running jobs rather than wait. */
  stopRunning?(): Promise<void>;
  onError?(err: unknown): void;
}

export type QuitChoice = 'wait' | 'stop' | 'cancel';

export type DrainState = 'running' | 'asking' | 'draining' | 'drained';

export interface QuitDrain {
  readonly state: DrainState;
  /** Resolves once the drain has finished and the final `app.quit()` was issued. */
  readonly done: Promise<void>;
}

function withTimeout(work: Promise<void>, ms: number | undefined): Promise<void> {
  if (ms === undefined) return work;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`engine did not stop within ${ms} ms; quitting anyway`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function installQuitDrain(options: QuitDrainOptions): QuitDrain {
  const onError = options.onError ?? ((err: unknown) => console.error('[tickr] shutdown:', err));
  let state: DrainState = 'running';
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });

  /** Set by a signal: a SIGTERM from the system or Ctrl+C in a terminal asks nobody. */
  let signalled = false;

  async function ask(confirm: NonNullable<QuitDrainOptions['confirm']>): Promise<QuitChoice> {
    try {
      return await confirm();
    } catch (err) {
      // A dialog that cannot be shown must not keep the app from quitting: drain as usual.
      onError(err);
      return 'wait';
    }
  }

  async function drain(choice: QuitChoice): Promise<void> {
    try {
      options.stopAccepting?.();
      if (choice === 'stop') await options.stopRunning?.().catch(onError);
      await withTimeout(options.stop(), options.timeoutMs?.());
    } catch (err) {
      // A failed or hung stop must not trap the user in an app that refuses to quit.
      onError(err);
    } finally {
      state = 'drained';
      options.app.quit();
      finished();
    }
  }

  options.app.on('before-quit', (event) => {
    // The second pass, issued by drain() itself, goes through.
    if (state === 'drained') return;
    event.preventDefault();
    // A quit request while asking or draining (a second Cmd+Q, a repeated signal) waits for
    // the same answer and the same drain.
    if (state !== 'running') return;
    if (signalled || options.confirm === undefined) {
      // Nobody to ask: the drain starts within this very quit request.
      state = 'draining';
      void drain('wait');
      return;
    }
    state = 'asking';
    void ask(options.confirm).then((choice) => {
      if (choice === 'cancel') {
        state = 'running';
        return;
      }
      state = 'draining';
      return drain(choice);
    });
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // Routed through app.quit() so that a signal and a menu Quit take the very same path.
    options.signals?.on(signal, () => {
      signalled = true;
      options.app.quit();
    });
  }

  return {
    get state() {
      return state;
    },
    done,
  };
}
