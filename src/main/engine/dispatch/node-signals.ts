/** Messages nodes send each other on the signals channel (Redis pub/sub). */
export type NodeSignal =
  | { type: 'wake'; from: string }
  | { type: 'cancel'; jobId: string; from: string }
  | { type: 'task-changed'; taskId: string; from: string };

export interface SignalHandlers {
  /** Another node made a job due, or changed a task: look at the queues again. */
  wake(): void;
  /** A user cancelled a job; it may run here. */
  cancel(jobId: string): void;
}

/** Parses one message; anything that is not a signal (another version, a stray publish) is null. */
export function parseNodeSignal(raw: string): NodeSignal | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  const signal = value as Partial<NodeSignal>;
  if (signal.type === 'wake' || signal.type === 'task-changed') return signal as NodeSignal;
  if (signal.type === 'cancel' && typeof signal.jobId === 'string') return signal as NodeSignal;
  return null;
}

/** Routes a raw message from the signals channel to its handler. */
export function handleNodeSignal(raw: string, handlers: SignalHandlers): void {
  const signal = parseNodeSignal(raw);
  if (signal?.type === 'wake' || signal?.type === 'task-changed') handlers.wake();
  else if (signal?.type === 'cancel') handlers.cancel(signal.jobId);
}
