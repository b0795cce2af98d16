/**
 * STS region failover: an ordered list of STS regions, tried in order; a region that answered 5xx
 * or could not be reached is skipped for a while, so every call does not pay its timeout again.
 *
 * The regions come from `BEDROCK_ASSUME_ROLE_STS_REGIONS` (its rules are the contract's,
 * `src/contract/sts-regions.ts`; `config.ts` reads it).
 *
 * STS is a regional service: every region's endpoint (`sts.<region>.amazonaws.com`) issues
 * credentials valid in every region that is enabled for the account (AWS STS Regionalized endpoints,
 * IAM User Guide, "Managing AWS STS in an AWS Region").
 */

import type { Clock } from './clock';

/** How long a failed region is skipped. */
export const REGION_FAILURE_MEMORY_MS = 60_000;

/** Options of {@link StsRegionFailover}. */
export interface StsRegionFailoverOptions {
  /** @default Date.now */
  readonly clock?: Clock;
  /** @default REGION_FAILURE_MEMORY_MS */
  readonly failureMemoryMs?: number;
}

/**
 * Remembers which STS regions failed recently and picks the order to try them in. One per role
 * session (process-wide, like the credential cache).
 */
export class StsRegionFailover {
  readonly #regions: readonly string[];
  readonly #failedAt = new Map<string, number>();
  readonly #clock: Clock;
  readonly #memoryMs: number;

  constructor(regions: readonly string[], options: StsRegionFailoverOptions = {}) {
    if (regions.length === 0) throw new Error('StsRegionFailover: at least one region is needed');
    this.#regions = [...regions];
    this.#clock = options.clock ?? Date.now;
    this.#memoryMs = options.failureMemoryMs ?? REGION_FAILURE_MEMORY_MS;
  }

  /**
   * The order to try regions in now: the configured order, skipping regions that failed within
   * the memory; those come last, the longest-ago failure first, so a call is never refused.
   */
  public order(): string[] {
    const now = this.#clock();
    const isRecent = (region: string): boolean => {
      const at = this.#failedAt.get(region);
      return at !== undefined && now - at < this.#memoryMs;
    };
    const healthy = this.#regions.filter((region) => !isRecent(region));
    const recent = this.#regions.filter(isRecent).sort((a, b) => this.#failedAt.get(a)! - this.#failedAt.get(b)!);
    return [...healthy, ...recent];
  }

  /** Records that `region` answered 5xx or could not be reached. */
  public markFailed(region: string): void {
    this.#failedAt.set(region, this.#clock());
  }

  /** Records that `region` answered. */
  public markHealthy(region: string): void {
    this.#failedAt.delete(region);
  }

  /**
   * Calls `call(region)` for each region in {@link order} until one does not fail with a region
   * failure; errors that are not region failures (access denied, throttling) are thrown at once.
   * When every region fails, the last region's error is thrown.
   */
  public async call<T>(call: (region: string) => Promise<T>, isRegionFailure: (error: unknown) => boolean): Promise<T> {
    let lastError: unknown;
    for (const region of this.order()) {
      try {
        const result = await call(region);
        this.markHealthy(region);
        return result;
      } catch (error) {
        if (!isRegionFailure(error)) throw error;
        this.markFailed(region);
        lastError = error;
      }
    }
    throw lastError;
  }
}

/**
 * Whether an STS answer means "try another region": a 5xx status. Connection failures are the other
 * case; the caller's network-error test (the shim's `isNetworkError`) decides those.
 */
export function isServerFault(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 500 && status <= 599;
}
