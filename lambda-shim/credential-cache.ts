/**
 * The refresh logic: one cache of temporary credentials, refreshed lazily at call time.
 *
 * A frozen Lambda runs no timers, so nothing here is scheduled: every `get()` looks at the time
 * left and decides.
 *
 * | time left                     | `get()`                                                              |
 * |-------------------------------|----------------------------------------------------------------------|
 * | more than 15 min              | the cached credentials                                               |
 * | 15 to 10 min (advisory)       | refresh; if that fails, the cached ones (STS retried at most every 30 s) |
 * | 10 min or less, or none       | refresh, or fail                                                     |
 *
 * So no request is signed with credentials in their last 10 minutes while STS answers. Concurrent
 * callers share one in-flight refresh (single flight).
 */

import type { Clock } from './clock';
import { BedrockHubError } from './errors';

/** Temporary credentials with a hard end. */
export interface ExpiringCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** Refresh when no more than this is left, keeping the current credentials if that fails. */
export const ADVISORY_REFRESH_MS = 15 * 60_000;
/** Never hand out credentials with no more than this left. */
export const MANDATORY_REFRESH_MS = 10 * 60_000;
/** After a failed refresh in the advisory window, wait this long before asking STS again. */
export const ADVISORY_RETRY_INTERVAL_MS = 30_000;

/** Where a set of credentials is in its life. */
export type CredentialWindow = 'fresh' | 'advisory' | 'mandatory';

/**
 * The window credentials fetched at `fetchedAt` are in at `now`.
 *
 * For sessions shorter than 40 minutes (DurationSeconds 900 gives 15), the advisory window starts
 * halfway between the fetch and the mandatory mark instead, so short sessions are not refreshed on
 * every call.
 */
export function credentialWindow(expiration: Date, fetchedAt: number, now: number): CredentialWindow {
  const left = expiration.getTime() - now;
  if (left <= MANDATORY_REFRESH_MS) return 'mandatory';
  const lifetime = expiration.getTime() - fetchedAt;
  const advisory = Math.min(ADVISORY_REFRESH_MS, (lifetime + MANDATORY_REFRESH_MS) / 2);
  return left > advisory ? 'fresh' : 'advisory';
}

/** The moment after which credentials that expire at `expiration` are no longer signed with. */
export function signingDeadline(expiration: Date): Date {
  return new Date(expiration.getTime() - MANDATORY_REFRESH_MS);
}

/**
 * A single-flight, lazily refreshed cache around `fetch` (one AssumeRole). Errors from `fetch` are
 * passed on unchanged.
 */
export class CredentialCache<T extends ExpiringCredentials> {
  #current?: { readonly value: T; readonly fetchedAt: number };
  #inFlight?: Promise<T>;
  #lastFailureAt?: number;
  readonly #fetch: () => Promise<T>;
  readonly #clock: Clock;

  constructor(fetch: () => Promise<T>, clock: Clock) {
    this.#fetch = fetch;
    this.#clock = clock;
  }

  /** Credentials to sign with now: cached, refreshed, or an error. */
  public async get(): Promise<T> {
    const current = this.#current;
    if (current) {
      const window = credentialWindow(current.value.expiration, current.fetchedAt, this.#clock());
      if (window === 'fresh') return current.value;
      if (window === 'advisory') return this.#advisoryRefresh(current.value);
    }
    return this.#refresh();
  }

  /**
   * Forgets the credentials with this access key id (a service said they expired), so the next
   * `get()` refreshes. Credentials fetched since are kept: concurrent callers that saw the same
   * expired key cause one refresh, not one each.
   */
  public invalidate(accessKeyId: string | undefined): void {
    if (this.#current && (accessKeyId === undefined || this.#current.value.accessKeyId === accessKeyId)) {
      this.#current = undefined;
    }
  }

  async #advisoryRefresh(current: T): Promise<T> {
    // Someone is already refreshing, or STS failed moments ago: the current ones are still good.
    if (this.#inFlight) return current;
    if (this.#lastFailureAt !== undefined && this.#clock() - this.#lastFailureAt < ADVISORY_RETRY_INTERVAL_MS) return current;
    try {
      return await this.#refresh();
    } catch (error) {
      const still = this.#current;
      if (still && credentialWindow(still.value.expiration, still.fetchedAt, this.#clock()) !== 'mandatory') {
        return still.value;
      }
      throw error;
    }
  }

  #refresh(): Promise<T> {
    // `finally` runs asynchronously, so it always clears after the assignment, even if fetch fails at once.
    this.#inFlight ??= this.#fetchOnce().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #fetchOnce(): Promise<T> {
    try {
      const value = await this.#fetch();
      const fetchedAt = this.#clock();
      if (credentialWindow(value.expiration, fetchedAt, fetchedAt) === 'mandatory') {
        const minutes = ((value.expiration.getTime() - fetchedAt) / 60_000).toFixed(1);
        throw new BedrockHubError('sts',
          `STS issued credentials that expire in ${minutes} min by this machine's clock (at ${value.expiration.toISOString()}), ` +
          `which is inside the last ${MANDATORY_REFRESH_MS / 60_000} minutes the shim never signs with.`,
          "The machine's clock is probably off by several minutes; otherwise request a longer DurationSeconds.");
      }
      this.#current = { value, fetchedAt };
      this.#lastFailureAt = undefined;
      return value;
    } catch (error) {
      this.#lastFailureAt = this.#clock();
      throw error;
    }
  }
}
