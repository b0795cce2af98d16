/**
 * `ExpiredToken(Exception)` from a call made with hub credentials: forget those credentials,
 * refresh, and retry the call once.
 *
 * The SDK resolves the signing identity in `httpAuthSchemeMiddleware` (serialize step) and signs
 * in `httpSigningMiddleware` (finalizeRequest step); its own retries reuse that identity. So the
 * retry lives in the initialize step, before both: the second attempt resolves credentials again
 * (from the refreshed cache) and is signed anew.
 *
 * Which credentials to forget is known per attempt, not per call context: with the client option
 * `cacheMiddleware: true` the SDK builds the handler, and with it the handler context, once per
 * command class and shares it between all calls of that command, concurrent ones included.
 */

import type {
  AbsoluteLocation,
  DeserializeHandlerOptions,
  DeserializeMiddleware,
  InitializeHandlerOptions,
  InitializeMiddleware,
  Pluggable,
} from '@smithy/types';
import { BedrockHubError } from './errors';
import { isExpiredTokenError, withServiceMetadata } from './sdk-errors';

/** The cache the retry invalidates. */
export interface InvalidatableCredentials {
  invalidate(accessKeyId: string | undefined): void;
}

/** The access key id each failed attempt was signed with, by the error it failed with. */
const signedWith = new WeakMap<object, string>();

/** The access key id that signed the attempt `error` came from, if the recorder saw it. */
function signingKeyOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? signedWith.get(error) : undefined;
}

/** Options of the retry middleware (initialize step, so identity is resolved again on retry). */
export const expiredTokenRetryMiddlewareOptions: InitializeHandlerOptions & AbsoluteLocation = {
  step: 'initialize',
  priority: 'high',
  name: 'bedrockHubExpiredTokenRetryMiddleware',
  tags: ['BEDROCK_HUB_ACCESS'],
  override: true,
};

/**
 * Options of the recorder: deserialize step, where it sees the request as signed; high priority,
 * outside the SDK's deserializer, so it sees the service error the deserializer throws.
 */
export const signingKeyRecorderMiddlewareOptions: DeserializeHandlerOptions & AbsoluteLocation = {
  step: 'deserialize',
  priority: 'high',
  name: 'bedrockHubSigningKeyRecorderMiddleware',
  tags: ['BEDROCK_HUB_ACCESS'],
  override: true,
};

/** The access key id in a SigV4 `Authorization` header (`… Credential=AKID/date/region/service/aws4_request, …`). */
export function signingAccessKeyId(headers: Record<string, string> | undefined): string | undefined {
  if (!headers) return undefined;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'authorization') return /Credential=([^/,\s]+)\//.exec(value)?.[1];
  }
  return undefined;
}

/**
 * Records which access key id signed a failed attempt, on the error it failed with, so an
 * `ExpiredToken` invalidates exactly those credentials and not ones a concurrent call has fetched
 * since.
 */
export function signingKeyRecorderMiddleware(): DeserializeMiddleware<object, object> {
  return (next) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      const key = signingAccessKeyId((args.request as { headers?: Record<string, string> } | undefined)?.headers);
      if (key !== undefined && typeof error === 'object' && error !== null) signedWith.set(error, key);
      throw error;
    }
  };
}

/** Inputs with a stream in them cannot be sent twice. */
function isReplayable(input: unknown): boolean {
  if (typeof input !== 'object' || input === null) return true;
  return Object.values(input).every((value) => typeof value !== 'object' || value === null || !(
    Symbol.asyncIterator in value || typeof (value as { pipe?: unknown }).pipe === 'function' ||
    typeof (value as { getReader?: unknown }).getReader === 'function'
  ));
}

/** Invalidates and retries once on `ExpiredToken(Exception)`. */
export function expiredTokenRetryMiddleware(cache: InvalidatableCredentials): InitializeMiddleware<object, object> {
  return (next) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      if (!isExpiredTokenError(error)) throw error;
      cache.invalidate(signingKeyOf(error));
      if (!isReplayable(args.input)) throw error;
    }
    try {
      return await next(args);
    } catch (error) {
      if (!isExpiredTokenError(error)) throw error;
      cache.invalidate(signingKeyOf(error));
      throw withServiceMetadata(new BedrockHubError('expired-token',
        'The service still reported an expired security token after the shim refreshed the hub credentials and retried once.',
        "Check the function's clock, and whether the hub role's sessions are being revoked (IAM > Roles > Revoke active sessions).",
        error), error);
    }
  };
}

/** Adds the retry and its recorder to a client's middleware stack. */
export function expiredTokenRetryPlugin(cache: InvalidatableCredentials): Pluggable<object, object> {
  return {
    applyToStack: (stack) => {
      stack.add(expiredTokenRetryMiddleware(cache), expiredTokenRetryMiddlewareOptions);
      stack.add(signingKeyRecorderMiddleware(), signingKeyRecorderMiddlewareOptions);
    },
  };
}
