/**
 * The one call that crosses into the hub: `sts:AssumeRole`, on a regional STS client that fails
 * fast, with the identity check that costs nothing.
 */

// @aws-sdk/* is provided by the Lambda Node.js runtime and kept out of bundles (NodejsFunction
// marks it external); the package lists it as a development dependency only for that reason.
// Types only here: the module itself is loaded by `loadSts()` when the first AssumeRole is made.
import type { AssumeRoleCommandOutput, STSClient, STSClientConfig } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { explainAssumeRoleError } from './assume-role-diagnosis';
import { systemClock } from './clock';
import type { Clock } from './clock';
import type { RoleToAssume } from './config';
import type { ExpiringCredentials } from './credential-cache';
import { BedrockHubError } from './errors';
import { throttleRetryBudgetMs } from './invocation-budget';
import { isNetworkError, isThrottlingError } from './sdk-errors';
import { retryThrottled, THROTTLE_MAX_DELAY_MS, unrefSleep } from './sts-backoff';
import { StsRegionFailover, isServerFault } from './sts-regions';

/**
 * Give up connecting to STS after this long: a VPC without an STS endpoint drops packets. (The
 * Node.js handler cannot cancel a connection timer under 2 s when a connection fails early, which
 * keeps the event loop busy; from 2 s on it can.)
 */
export const STS_CONNECTION_TIMEOUT_MS = 2_000;
/** Give up on an STS request after this long (AssumeRole normally answers well within a second). */
export const STS_REQUEST_TIMEOUT_MS = 3_500;
/**
 * Give up on an STS request after this long when another STS region is left to try (AssumeRole
 * answers within a few hundred milliseconds when STS is well): a region that accepts connections
 * but does not answer then costs less than one connection timeout.
 */
export const STS_FAILOVER_REQUEST_TIMEOUT_MS = 1_500;
/**
 * Attempts per AssumeRole when STS cannot be reached or answers 5xx and only one STS region is
 * configured (one try and one retry, so an unreachable STS costs seconds, not the function's
 * timeout). With several regions, each is tried once, in order. Throttling is retried separately,
 * with backoff, within a time budget (`sts-backoff.ts`); the SDK's own retries are off so no
 * attempt is doubled.
 */
export const STS_MAX_ATTEMPTS = 2;

type StsModule = typeof import('@aws-sdk/client-sts');
let stsModule: StsModule | undefined;

/**
 * `@aws-sdk/client-sts`, loaded on the first AssumeRole: with hub mode off nothing of STS is ever
 * loaded. A plain `require`, which esbuild leaves as it is for an external module (NodejsFunction
 * marks `@aws-sdk/*` external), so the Lambda runtime's copy is the one loaded.
 */
function loadSts(): StsModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
  stsModule ??= require('@aws-sdk/client-sts') as StsModule;
  return stsModule;
}

/** Credentials of an assumed role session (hub role or target role), with who they belong to. */
export interface AssumedRoleCredentials extends ExpiringCredentials {
  /** `AssumedRoleUser.Arn`: `arn:<partition>:sts::<account>:assumed-role/<role>/<session>`. */
  readonly assumedRoleArn: string;
  /** The account of the assumed session (checked to be the role's). */
  readonly account: string;
  /** The session name in the assumed-role ARN. */
  readonly sessionName: string;
}

/** How the STS client calls AssumeRole. */
export interface AssumeRoleOptions {
  /**
   * The credentials AssumeRole is signed with.
   * @default the default credential chain (in Lambda: the execution role)
   */
  readonly masterCredentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /**
   * The time source of the throttling budget and of the STS regions' failure memory.
   * @default Date.now
   */
  readonly clock?: Clock;
  /**
   * Waits between throttled attempts. When given, the time spent retrying is read from
   * {@link clock} (which the sleep is expected to move); otherwise it is real, monotonic time
   * (`performance.now()`), whatever the clock.
   * @default a setTimeout (unref'd for a prefetch)
   */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The jitter's random source, uniform in [0, 1). @default Math.random */
  readonly random?: () => number;
}

/**
 * Assumes one {@link RoleToAssume}: in its STS regions in order (a region that answered 5xx or
 * could not be reached is skipped for a while), retrying throttled calls with backoff and full
 * jitter within a budget. The STS clients are created on first use, one per region.
 */
export class RoleAssumer {
  readonly #clients = new Map<string, STSClient>();
  readonly #role: RoleToAssume;
  readonly #options: AssumeRoleOptions;
  readonly #clock: Clock;
  readonly #failover: StsRegionFailover;
  /**
   * The run of throttled attempts going on, by the retry clock, whoever made them: a call that
   * starts while it goes on (the first invocation after a prefetch that gave up) shares the default
   * budget with it instead of getting a fresh one.
   */
  #throttled?: { readonly since: number; readonly last: number };

  constructor(role: RoleToAssume, options: AssumeRoleOptions = {}) {
    this.#role = role;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#failover = new StsRegionFailover(role.stsRegions ?? [role.stsRegion], { clock: this.#clock });
  }

  /**
   * Calls AssumeRole and checks the identity; every failure is a `BedrockHubError`.
   *
   * @param budgetMs how long throttled calls may be retried, in ms from the first attempt; a function
   *   is asked again before each retry (a prefetch's budget becomes the invocation's that waits for it)
   *   (default: until shortly before the current invocation's deadline, see `invocation-budget.ts`)
   * @param background true for a prefetch nobody waits for yet: its waits do not keep the process
   *   alive (an invocation that waits for it keeps it alive itself)
   */
  public async assume(budgetMs?: number | (() => number), background = false): Promise<AssumedRoleCredentials> {
    const role = this.#role;
    let region = role.stsRegion;
    let output: AssumeRoleCommandOutput;
    // Real waits are measured in real, monotonic time: a clock held still (an injected one, or a
    // test's patched Date) must not stretch them without end.
    const retryClock: Clock = this.#options.sleep ? this.#clock : () => performance.now();
    try {
      output = await retryThrottled(() => this.#tracked(this.#sendInRegions((tried) => (region = tried)), retryClock), {
        isThrottled: isThrottlingError,
        budgetMs: budgetMs ?? this.#defaultBudgetMs(retryClock),
        clock: retryClock,
        sleep: this.#options.sleep ?? (background ? unrefSleep : (ms) => new Promise((resolve) => setTimeout(resolve, ms))),
        random: this.#options.random,
      });
    } catch (error) {
      throw explainAssumeRoleError(error, region === role.stsRegion ? role : { ...role, stsRegion: region });
    }

    const credentials = output.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken || !credentials.Expiration) {
      throw new BedrockHubError('sts', `AssumeRole on ${role.roleArn} answered without complete credentials.`,
        'The STS endpoint is not behaving like STS: check AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL, or retry.');
    }
    const assumed = checkAssumedIdentity(output.AssumedRoleUser?.Arn, role);
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: new Date(credentials.Expiration),
      ...assumed,
    };
  }

  /**
   * The budget of a call given none: the invocation's (see `invocation-budget.ts`); without one, the
   * default less what a run of throttles that ended moments ago has already spent of it.
   */
  #defaultBudgetMs(retryClock: Clock): number {
    const now = retryClock();
    if (this.#throttled && now - this.#throttled.last > THROTTLE_MAX_DELAY_MS) this.#throttled = undefined;
    return throttleRetryBudgetMs(this.#clock, this.#throttled ? now - this.#throttled.since : 0);
  }

  /** Keeps {@link #throttled} up to date with the outcome of one attempt. */
  async #tracked<T>(attempt: Promise<T>, retryClock: Clock): Promise<T> {
    try {
      const output = await attempt;
      this.#throttled = undefined;
      return output;
    } catch (error) {
      const now = retryClock();
      this.#throttled = isThrottlingError(error) ? { since: this.#throttled?.since ?? now, last: now } : undefined;
      throw error;
    }
  }

  /** Closes the STS clients' connections. */
  public destroy(): void {
    for (const client of this.#clients.values()) client.destroy();
    this.#clients.clear();
  }

  /**
   * One AssumeRole, in the first region that answers: each region once, in the failover's order
   * (one region: tried {@link STS_MAX_ATTEMPTS} times). A region that answers anything but 5xx
   * (success, access denied, throttling) ends the round.
   */
  async #sendInRegions(onTry: (region: string) => void): Promise<AssumeRoleCommandOutput> {
    const order = this.#failover.order();
    const failover = order.length > 1;
    const plan = failover ? order : Array<string>(STS_MAX_ATTEMPTS).fill(order[0]);
    const { AssumeRoleCommand } = loadSts();
    const role = this.#role;
    let lastError: unknown;
    for (const [i, region] of plan.entries()) {
      onTry(region);
      const last = i === plan.length - 1;
      try {
        const output = await this.#client(region).send(new AssumeRoleCommand({
          RoleArn: role.roleArn,
          RoleSessionName: role.sessionName,
          DurationSeconds: role.durationSeconds,
          ExternalId: role.externalId,
          Tags: role.tags?.map((tag) => ({ Key: tag.Key, Value: tag.Value })),
          SourceIdentity: role.sourceIdentity,
        }), { requestTimeout: failover && !last ? STS_FAILOVER_REQUEST_TIMEOUT_MS : STS_REQUEST_TIMEOUT_MS });
        if (failover) this.#failover.markHealthy(region);
        return output;
      } catch (error) {
        if (!isNetworkError(error) && !isServerFault(error)) throw error;
        if (failover) this.#failover.markFailed(region);
        lastError = error;
      }
    }
    throw lastError;
  }

  #client(region: string): STSClient {
    let client = this.#clients.get(region);
    if (!client) {
      client = new (loadSts().STSClient)(stsClientConfig(this.#role, this.#options, region));
      this.#clients.set(region, client);
    }
    return client;
  }
}

/**
 * The STS client's configuration: regional, explicit about its region and credentials, quick to
 * give up when STS cannot be reached, and without the SDK's own retries ({@link RoleAssumer}
 * retries throttling within a budget and moves on to the next region, so no attempt is doubled).
 *
 * @param region the STS region (default: the role's first STS region)
 */
export function stsClientConfig(role: RoleToAssume, options: AssumeRoleOptions = {}, region: string = role.stsRegion): STSClientConfig {
  return {
    region,
    // Always the regional endpoint (the SDK's default too; stated so no setting can change it).
    useGlobalEndpoint: false,
    // Unset: the SDK resolves AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL from process.env itself.
    endpoint: role.stsEndpoint,
    // Unset: the default chain, i.e. the function's own credentials. Never the hub's.
    credentials: options.masterCredentials,
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: STS_CONNECTION_TIMEOUT_MS,
      requestTimeout: STS_REQUEST_TIMEOUT_MS,
      // Newer handlers only warn on requestTimeout unless told to throw; older ones always throw.
      throwOnRequestTimeout: true,
    },
    customUserAgent: 'bedrock-hub-access',
  };
}

/**
 * The free identity check: the account in `AssumedRoleUser.Arn` must be the role's account.
 * Anything else means the answer did not come from the role that was asked for.
 */
export function checkAssumedIdentity(
  assumedRoleArn: string | undefined,
  role: Pick<RoleToAssume, 'roleArn' | 'account'>,
): Pick<AssumedRoleCredentials, 'assumedRoleArn' | 'account' | 'sessionName'> {
  const match = /^arn:[\w-]+:sts::(\d{12}):assumed-role\/[^/]+\/(.+)$/.exec(assumedRoleArn ?? '');
  const hint = 'The shim does not sign with these credentials. Check that AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL (if set) point at ' +
    'the real STS of this partition, and that no proxy rewrites STS responses.';
  if (!match) {
    throw new BedrockHubError('identity-mismatch',
      `AssumeRole on ${role.roleArn} returned the AssumedRoleUser.Arn '${assumedRoleArn ?? ''}', which is not an assumed-role ARN.`, hint);
  }
  const [, account, sessionName] = match;
  if (account !== role.account) {
    throw new BedrockHubError('identity-mismatch',
      `AssumeRole on ${role.roleArn} returned a session in account ${account} (${assumedRoleArn}), not in the role's account ${role.account}.`,
      hint);
  }
  return { assumedRoleArn: assumedRoleArn as string, account, sessionName };
}
