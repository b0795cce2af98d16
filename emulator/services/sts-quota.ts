/**
 * A per-account STS request quota: a token bucket per account, like the request quotas STS
 * enforces per account and region. A request beyond it gets what STS answers then: HTTP 400,
 * `<Type>Sender</Type>`, code `Throttling`, message `Rate exceeded` (see `throttlingError`).
 *
 * Off unless the emulator is given one (`AwsEmulator.start({ stsQuota })` or
 * `emulator.setStsQuota(...)`). The bucket refills on the emulator's clock, so with a standing
 * `ManualClock` it refills only when the clock is advanced.
 */

/** How many STS requests an account may make. */
export interface StsQuotaOptions {
  /** Requests per second the bucket refills with. Must be a positive number. */
  readonly ratePerSecond: number;
  /**
   * Requests an idle account may make at once (the bucket's size).
   * @default ratePerSecond
   */
  readonly burst?: number;
}

/**
 * A token bucket: starts full with `burst` tokens, refills at `ratePerSecond` up to `burst`; each
 * admitted request takes one token.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(private readonly ratePerSecond: number, private readonly burst: number, now: number) {
    this.tokens = burst;
    this.updatedAt = now;
  }

  /** Takes a token if there is one at `now`; whether the request is admitted. */
  public take(now: number): boolean {
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed / 1000) * this.ratePerSecond);
    this.updatedAt = Math.max(this.updatedAt, now);
    if (this.tokens < 1) {
      return false;
    }
    this.tokens -= 1;
    return true;
  }
}

/** Validates quota options; the error names the field. */
export function validateStsQuota(options: StsQuotaOptions): Required<StsQuotaOptions> {
  const burst = options.burst ?? options.ratePerSecond;
  if (!(Number.isFinite(options.ratePerSecond) && options.ratePerSecond > 0)) {
    throw new Error(`stsQuota.ratePerSecond must be a positive number, got ${options.ratePerSecond}`);
  }
  if (!(Number.isFinite(burst) && burst >= 1)) {
    throw new Error(`stsQuota.burst must be a number of at least 1, got ${burst}`);
  }
  return { ratePerSecond: options.ratePerSecond, burst };
}

/** One token bucket per account. */
export class StsRequestQuota {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly settings: Required<StsQuotaOptions>;

  constructor(options: StsQuotaOptions, private readonly now: () => number) {
    this.settings = validateStsQuota(options);
  }

  /** Whether `accountId` may make one more STS request now (taking a token if so). */
  public admit(accountId: string): boolean {
    let bucket = this.buckets.get(accountId);
    if (!bucket) {
      bucket = new TokenBucket(this.settings.ratePerSecond, this.settings.burst, this.now());
      this.buckets.set(accountId, bucket);
    }
    return bucket.take(this.now());
  }
}

/**
 * The account an STS request counts against: for `AssumeRole`, the account of the role asked for
 * (the hub account, whose quota a burst of workload environments strains); otherwise the caller's.
 */
export function stsQuotaAccount(operation: string, body: string, rawQuery: string, callerAccount: string): string {
  if (operation !== 'AssumeRole') {
    return callerAccount;
  }
  const roleArn = new URLSearchParams(body || rawQuery).get('RoleArn') ?? '';
  return /^arn:[\w-]+:iam::(\d{12}):/.exec(roleArn)?.[1] ?? callerAccount;
}
