import { TickrError } from '../../shared/errors';
import type { SettingsApply } from '../../shared/types';
import type { EngineConfig } from '../engine/config';

/** What the switch needs of an engine: the real Engine, or a fake in the tests. */
export interface SwitchableEngine {
  readonly config: EngineConfig;
  readonly storeReady: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface EngineSwitchOptions<E extends SwitchableEngine> {
  create(config: EngineConfig): E;
  /** The API and the event stream must point at `next` from now on. */
  onSwap(next: E): void;
  onProgress(progress: SettingsApply): void;
  onError?(message: string): void;
  now?: () => Date;
}

/**
 * Applies new engine settings without restarting the app: the running engine drains (its jobs
 * finish, as on quit), a new Engine is made with the new settings, started, and swapped in behind
 * the API. An Engine is not restarted in place because its parts (pools, connections, timers)
 * are made for one configuration; a fresh one starts from a clean state, as at launch. If the
 * new one cannot start, one with the previous settings is started again, so the app is never
 * left without an engine. Validation happens before `switchTo` (desktop-settings.ts).
 */
export class EngineSwitch<E extends SwitchableEngine> {
  private current: E | null = null;
  private switching: Promise<void> | null = null;
  progress: SettingsApply = { state: 'idle', message: '', at: null };

  constructor(private readonly options: EngineSwitchOptions<E>) {}

  get engine(): E {
    if (this.current === null) throw new Error('the engine has not been started');
    return this.current;
  }

  get busy(): boolean {
    return this.switching !== null;
  }

  report(state: SettingsApply['state'], message: string): void {
    this.progress = { state, message, at: (this.options.now?.() ?? new Date()).toISOString() };
    this.options.onProgress(this.progress);
  }

  /** The first engine, at launch. */
  async start(config: EngineConfig): Promise<E> {
    const engine = this.options.create(config);
    this.current = engine;
    this.options.onSwap(engine);
    await engine.start();
    return engine;
  }

  async switchTo(config: EngineConfig): Promise<void> {
    if (this.switching !== null) throw new TickrError('CONFLICT', 'settings: a change is being applied already');
    this.switching = this.run(config).finally(() => {
      this.switching = null;
    });
    return this.switching;
  }

  private async run(config: EngineConfig): Promise<void> {
    const previous = this.engine;
    this.report('draining', 'draining the engine: running jobs finish first');
    await previous.stop();
    this.report('connecting', 'starting the engine with the new settings');
    try {
      await this.startOne(config);
    } catch (err) {
      const why = (err as Error).message;
      this.options.onError?.(`settings: the new engine did not start: ${why}`);
      await this.startOne(previous.config).catch((again: Error) =>
        this.options.onError?.(`settings: the previous settings did not start again either: ${again.message}`),
      );
      this.report('failed', `the new settings did not start (${why}): the previous ones are back in use`);
      throw new TickrError('BAD_INPUT', `settings: the engine did not start with them: ${why}`);
    }
    this.report('done', 'the new settings are in use');
  }

  private async startOne(config: EngineConfig): Promise<void> {
    const engine = this.options.create(config);
    try {
      await engine.start();
    } catch (err) {
      await engine.stop().catch(() => undefined);
      throw err;
    }
    this.current = engine;
    this.options.onSwap(engine);
  }

  /** On quit: waits for a switch under way, then stops whatever engine runs. */
  async stop(): Promise<void> {
    await this.switching?.catch(() => undefined);
    await this.current?.stop();
  }
}
