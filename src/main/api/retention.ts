import { TickrError } from '../../shared/errors';
import type { Engine } from '../engine/engine';
import { guardStore } from '../engine/store/errors';
import type { Handlers } from './handlers';

type RetentionHandlers = Pick<Handlers, 'retention.get' | 'retention.set' | 'retention.runNow'>;

/** retention.get / set / runNow (the Settings view): the engine's retention service, over the contract. */
export function retentionHandlers(engine: Engine): RetentionHandlers {
  const state = () => guardStore(() => engine.retention.state());
  return {
    'retention.get': state,
    'retention.set': async (change) => {
      engine.retention.setPolicy(change);
      return state();
    },
    'retention.runNow': async () => {
      // Pruning needs MySQL: say so now rather than log a failure in the background.
      if (!engine.storeReady) {
        throw new TickrError('STORE_UNAVAILABLE', 'MySQL is unavailable: pruning needs it; try again when it is back');
      }
      engine.retention.runInBackground();
      return state();
    },
  };
}
