/**
 * Error codes of the API contract. Every failure that crosses a transport carries one of these,
 * so callers branch on a code rather than on message text.
 */
export const ERROR_CODES = {
  BAD_INPUT: 400,
  UNAUTHORIZED: 401,
  /** Authenticated or not, the request comes from somewhere it may not (a foreign browser Origin). */
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNKNOWN_METHOD: 404,
  STORE_UNAVAILABLE: 503,
  QUEUE_UNAVAILABLE: 503,
  SHUTTING_DOWN: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
}

/** A failure meant for the caller: its message is safe to show and names what went wrong. */
export class TickrError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'TickrError';
    this.code = code;
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code];
  }

  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message };
  }
}

export function isTickrError(err: unknown): err is TickrError {
  return err instanceof TickrError;
}
