import type { EventMessage, Result } from '../../shared/contract';

/**
 * What a transport (Electron IPC or HTTP) needs from the API: call a contract method by name
 * with untrusted input and get a result envelope back, and subscribe to engine events.
 * Input validation happens behind `call`, so every transport gets it for free.
 */
export interface ApiHandler {
  call(method: string, input: unknown): Promise<Result<unknown>>;
  subscribe(listener: (message: EventMessage) => void): () => void;
}
