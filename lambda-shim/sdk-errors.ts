/**
 * Reading what the AWS SDK for JavaScript v3 and Node.js throw: the service error code
 * (`AccessDenied`, `ExpiredTokenException`, …) or Node.js error code (`ECONNREFUSED`, …), the
 * message, and whether the service was reached at all. Pure functions of the error value.
 */

interface ErrorLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly Code?: unknown;
  readonly message?: unknown;
  readonly errors?: unknown;
  readonly cause?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string };
  readonly $fault?: unknown;
}

function asErrorLike(error: unknown): ErrorLike {
  return typeof error === 'object' && error !== null ? error as ErrorLike : {};
}

/**
 * The SDK's retry middleware wraps anything that is not `instanceof Error` (a Node.js error from
 * another realm, as under jest) into `Error('AWS SDK error wrapper for Error: connect ECONNREFUSED …')`,
 * dropping its `code`. This recovers the code from that text.
 */
function wrappedNodeCode(e: ErrorLike): string | undefined {
  if (typeof e.message !== 'string' || !e.message.startsWith('AWS SDK error wrapper for ')) return undefined;
  return /\b(E[A-Z_]{3,})\b/.exec(e.message)?.[1] ?? (/socket hang up/.test(e.message) ? 'ECONNRESET' : undefined);
}

/** The service error code (`AccessDenied`, `ExpiredTokenException`, …) or Node.js error code. */
export function errorCode(error: unknown): string | undefined {
  const e = asErrorLike(error);
  for (const candidate of [e.Code, e.code, e.name === 'Error' ? wrappedNodeCode(e) : e.name]) {
    if (typeof candidate === 'string' && candidate !== '' && candidate !== 'Error') return candidate;
  }
  return undefined;
}

/** The error's message, or `''`. */
export function errorMessage(error: unknown): string {
  const message = asErrorLike(error).message;
  return typeof message === 'string' ? message : '';
}

/** An error reduced to its name, code, message, HTTP status and request id: safe to log as JSON. */
export function errorSummary(error: unknown): Record<string, unknown> | undefined {
  if (error === undefined) return undefined;
  const e = asErrorLike(error);
  return {
    name: typeof e.name === 'string' ? e.name : undefined,
    code: errorCode(error),
    message: errorMessage(error),
    httpStatusCode: e.$metadata?.httpStatusCode,
    requestId: e.$metadata?.requestId,
  };
}

/** Copies the SDK's `$metadata` and `$fault` from the service error `cause` onto `error`. */
export function withServiceMetadata<E extends object>(error: E, cause: unknown): E {
  const { $metadata, $fault } = asErrorLike(cause);
  if ($metadata !== undefined) Object.assign(error, { $metadata });
  if ($fault !== undefined) Object.assign(error, { $fault });
  return error;
}

/** `ExpiredToken` (STS, query protocol) or `ExpiredTokenException` (JSON protocols). */
export function isExpiredTokenError(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ExpiredToken' || code === 'ExpiredTokenException';
}

const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** True for a failure to reach the service at all: refused, reset, timed out, unresolvable. */
export function isNetworkError(error: unknown, depth = 0): boolean {
  if (depth > 5) return false;
  const e = asErrorLike(error);
  if (e.$metadata?.httpStatusCode !== undefined) return false;
  for (const candidate of [e.code, e.name, wrappedNodeCode(e)]) {
    if (typeof candidate === 'string' && NETWORK_ERROR_CODES.has(candidate)) return true;
  }
  if (Array.isArray(e.errors) && e.errors.some((inner) => isNetworkError(inner, depth + 1))) return true;
  return e.cause !== undefined && isNetworkError(e.cause, depth + 1);
}

const THROTTLING_CODES = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException']);

/** `Throttling: Rate exceeded` (STS) and the other codes AWS services throttle with. */
export function isThrottlingError(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && THROTTLING_CODES.has(code);
}
