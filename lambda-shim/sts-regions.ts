/**
 * STS region failover: an ordered list of STS regions, tried in order; a region that answered 5xx
 * or could not be reached is skipped for a while, so every call does not pay its timeout again.
 *
 * The variable `BEDROCK_ASSUME_ROLE_STS_REGIONS` is part of the contract between the constructs
 * and the shim (its name and rules belong with the other `BEDROCK_ASSUME_ROLE_*` variables); it is
 * defined here until the contract carries it.
 *
 * STS is a regional service: every region's endpoint (`sts.<region>.amazonaws.com`) issues
 * credentials valid in every region that is enabled for the account (AWS STS Regionalized endpoints,
 * IAM User Guide, "Managing AWS STS in an AWS Region").
 */

import type { Clock } from './clock';
import { BedrockHubError } from './errors';

/** The variable: comma-separated region codes, most preferred first, e.g. `us-east-1,us-west-2`. */
export const STS_REGIONS_ENV = 'BEDROCK_ASSUME_ROLE_STS_REGIONS';
/** How long a failed region is skipped. */
export const REGION_FAILURE_MEMORY_MS = 60_000;
/** At most this many regions (each failing one can cost a connection timeout). */
export const MAX_STS_REGIONS = 5;

/** A region code: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`. */
const REGION_CODE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * The problem with a `BEDROCK_ASSUME_ROLE_STS_REGIONS` value, or `undefined` when it is usable.
 * Absent or empty is usable (no failover).
 */
export function describeStsRegionsProblem(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const entries = value.split(',').map((entry) => entry.trim());
  const bad = entries.find((entry) => !REGION_CODE.test(entry));
  if (bad !== undefined) {
    return bad === '' ? 'has an empty entry (two commas in a row, or a trailing comma)' : `has ${JSON.stringify(bad)}, which is not a region code`;
  }
  const duplicate = entries.find((entry, i) => entries.indexOf(entry) !== i);
  if (duplicate) return `names ${duplicate} twice`;
  if (entries.length > MAX_STS_REGIONS) return `names ${entries.length} regions; at most ${MAX_STS_REGIONS} are allowed`;
  return undefined;
}

/**
 * The regions of `BEDROCK_ASSUME_ROLE_STS_REGIONS`, in order; `undefined` when absent or empty.
 * @throws BedrockHubError of layer `configuration` naming the variable and the fix
 */
export function parseStsRegions(value: string | undefined): readonly string[] | undefined {
  const problem = describeStsRegionsProblem(value);
  if (problem) {
    throw new BedrockHubError('configuration', `${STS_REGIONS_ENV} ${problem}.`,
      `Set ${STS_REGIONS_ENV} to comma-separated region codes, most preferred first (e.g. us-east-1,us-west-2), or leave it empty.`);
  }
  if (value === undefined || value === '') return undefined;
  return value.split(',').map((entry) => entry.trim());
}

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
