/**
 * The process-wide caches: one role session (credential cache and credential provider) per
 * distinct role to assume, and one hub session per configuration and region. They live as long
 * as the Lambda execution environment, so every invocation, and every client built in it, shares
 * one AssumeRole.
 */

import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { RoleAssumer, STS_MAX_ATTEMPTS, STS_REQUEST_TIMEOUT_MS } from './assume-role';
import type { AssumedRoleCredentials } from './assume-role';
import { resetBearerBypassWarning } from './bearer-warning';
import { systemClock } from './clock';
import type { Clock } from './clock';
import { roleSessionKey } from './config';
import type { RoleToAssume } from './config';
import { CredentialCache, MANDATORY_REFRESH_MS, signingDeadline } from './credential-cache';
import { resetInvocationDeadline, throttleRetryBudgetMs } from './invocation-budget';
import { Prefetch, PREFETCH_BUDGET_MS } from './prefetch';
import type { BedrockHubSession, BedrockHubSessionOptions } from './session';

/** One role session: the role, its credential cache, and the provider every client built for it shares. */
export interface RoleSession {
  readonly role: RoleToAssume;
  readonly cache: CredentialCache<AssumedRoleCredentials>;
  readonly credentials: AwsCredentialIdentityProvider;
  /** The clock of every expiry and budget decision of this session. */
  readonly clock: Clock;
  /**
   * Starts AssumeRole now, ahead of the first call (once; see `prefetch.ts`). The first credential
   * fetch of the cache takes its answer when it is there in time and usable; otherwise it assumes
   * the role itself. Never throws, never leaves a rejection unhandled.
   */
  readonly prefetch: () => void;
  /** Resolves when a prefetch still to be claimed has settled; never rejects. */
  readonly prefetched: () => Promise<void>;
  readonly destroy: () => void;
}

/**
 * How long a prefetch may still take after its throttling budget: a last round of attempts that
 * may each take the request timeout. A live prefetch is always waited for, so the first invocation
 * never makes a second AssumeRole beside it; a pending prefetch older than its budget plus this was
 * frozen with the environment (provisioned concurrency) and is not waited for.
 */
export const PREFETCH_SETTLE_MS = STS_MAX_ATTEMPTS * STS_REQUEST_TIMEOUT_MS;

const roleSessions = new Map<string, RoleSession>();
const hubSessions = new Map<string, BedrockHubSession>();

/**
 * The process-wide role session for `role`: one credential cache per role ARN, ExternalId,
 * session name, duration, STS region (and STS endpoint), session tags and source identity
 * ({@link roleSessionKey}). The hub role and each target role have their own. The first caller's
 * clock and master credentials are the ones it uses.
 */
export function roleSessionFor(role: RoleToAssume, options: Pick<BedrockHubSessionOptions, 'clock' | 'masterCredentials'>): RoleSession {
  const key = roleSessionKey(role);
  let session = roleSessions.get(key);
  if (!session) {
    const clock = options.clock ?? systemClock;
    const assumer = new RoleAssumer(role, { masterCredentials: options.masterCredentials, clock });
    const early = new Prefetch<AssumedRoleCredentials>({ clock, budgetMs: PREFETCH_BUDGET_MS, settleMs: PREFETCH_SETTLE_MS });
    // Prefetched credentials are taken only while they may still be signed with.
    const usable = (c: AssumedRoleCredentials): boolean => c.expiration.getTime() - clock() > MANDATORY_REFRESH_MS;
    // The first fetch hands a prefetch still retrying throttled calls the invocation's budget.
    const cache = new CredentialCache(async () => (await early.claim(usable, throttleRetryBudgetMs(clock))) ?? assumer.assume(), clock);
    const credentials = Object.assign(
      async (): Promise<AwsCredentialIdentity> => {
        const current = await cache.get();
        return {
          accessKeyId: current.accessKeyId,
          secretAccessKey: current.secretAccessKey,
          sessionToken: current.sessionToken,
          // The signing deadline, not STS's Expiration: a consumer that caches until "expiration"
          // then stops 10 minutes early, as the shim's own clients do.
          expiration: signingDeadline(current.expiration),
          accountId: current.account,
        };
      },
      // The SDK wraps credential providers in its own memo (refresh 5 min before `expiration`, by
      // Date.now). Marked as memoized, it calls this one on every request instead, so the cache
      // above is the only one and applies its windows. An SDK that memoizes anyway refreshes 5 min
      // before the signing deadline above, i.e. with 15 min left: the 10-minute rule still holds.
      { memoized: true },
    );
    session = {
      role,
      cache,
      credentials,
      clock,
      // Throttled prefetches are retried within the prefetch's budget, which a waiting invocation raises.
      prefetch: () => early.start((budgetMs) => assumer.assume(budgetMs, true)),
      prefetched: () => early.settled(),
      destroy: () => assumer.destroy(),
    };
    roleSessions.set(key, session);
  }
  return session;
}

/** The hub session cached under `key`, built by `create` on first use. */
export function cachedHubSession(key: string, create: () => BedrockHubSession): BedrockHubSession {
  let session = hubSessions.get(key);
  if (!session) {
    session = create();
    hubSessions.set(key, session);
  }
  return session;
}

/**
 * Forgets every cached session and its credentials, and closes their STS connections. For tests;
 * handler code has no reason to call it.
 */
export function resetBedrockHubSessions(): void {
  for (const role of roleSessions.values()) role.destroy();
  roleSessions.clear();
  hubSessions.clear();
  resetBearerBypassWarning();
  resetInvocationDeadline();
}
