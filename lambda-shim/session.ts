/**
 * The hub session: what handler code holds. It builds SDK clients on the shared hub credentials
 * and is cached per configuration and region, like the credential caches behind it.
 */

import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, MiddlewareStack } from '@smithy/types';
import { RoleAssumer } from './assume-role';
import type { HubCredentials } from './assume-role';
import { systemClock } from './clock';
import type { Clock } from './clock';
import { readHubConfig, roleTargetKey } from './config';
import type { Environment, HubConfig, RoleTarget } from './config';
import { CredentialCache, signingDeadline } from './credential-cache';
import { BedrockHubError, explainBedrockError } from './errors';
import { expiredTokenRetryPlugin } from './expired-token-retry';

/** Options of {@link getBedrockHubSession}. */
export interface BedrockHubSessionOptions {
  /**
   * The region STS and the clients are called in.
   * @default AWS_REGION, then AWS_DEFAULT_REGION
   */
  readonly region?: string;
  /**
   * Where the `BEDROCK_ASSUME_ROLE_*`, region and function-name variables are read. When this is
   * not `process.env`, the STS endpoint settings (`AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`) are
   * read from it too, since the SDK only sees `process.env`.
   * @default process.env
   */
  readonly env?: Environment;
  /**
   * The time source for every expiry decision.
   * @default Date.now
   */
  readonly clock?: Clock;
  /**
   * The credentials AssumeRole is signed with.
   * @default the default credential chain (in Lambda: the execution role's credentials)
   */
  readonly masterCredentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/** Who the hub credentials belong to. */
export interface BedrockHubIdentity {
  /** The hub account. */
  readonly account: string;
  /** The assumed-role session ARN (`arn:aws:sts::<account>:assumed-role/<role>/<session>`). */
  readonly arn: string;
  /** The role session name (shows in the hub account's CloudTrail). */
  readonly sessionName: string;
  /** When STS says the current credentials expire. */
  readonly expiration: Date;
}

/** The shape of an AWS SDK for JavaScript v3 client, as far as the hub needs it. */
export interface SdkClient {
  readonly middlewareStack: MiddlewareStack<any, any>;
}

/** One role session: its credential cache, and the provider every client built for it shares. */
interface RoleSession {
  readonly target: RoleTarget;
  readonly cache: CredentialCache<HubCredentials>;
  readonly credentials: AwsCredentialIdentityProvider;
  readonly destroy: () => void;
}

const roleSessions = new Map<string, RoleSession>();
const hubSessions = new Map<string, BedrockHubSession>();

/**
 * The process-wide role session for `target`: one credential cache per role ARN, ExternalId,
 * session name, duration and STS region (and STS endpoint). The first caller's clock and master
 * credentials are the ones it uses.
 */
function roleSessionFor(target: RoleTarget, options: BedrockHubSessionOptions): RoleSession {
  const key = roleTargetKey(target);
  let session = roleSessions.get(key);
  if (!session) {
    const assumer = new RoleAssumer(target, { masterCredentials: options.masterCredentials });
    const cache = new CredentialCache(() => assumer.assume(), options.clock ?? systemClock);
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
    session = { target, cache, credentials, destroy: () => assumer.destroy() };
    roleSessions.set(key, session);
  }
  return session;
}

/** A token provider for hub clients: bearer auth is never a way around the hub's SigV4. */
async function refuseBearerToken(): Promise<never> {
  throw new BedrockHubError('configuration',
    'A hub client was asked for a bearer token; hub clients only sign with SigV4 and the hub credentials.',
    'Remove AWS_BEARER_TOKEN_BEDROCK / AWS_AUTH_SCHEME_PREFERENCE from the function, or make this call with a client not built by hub.client().');
}

/**
 * Builds AWS SDK v3 clients that call Bedrock (or anything else) as the hub role, on one shared,
 * lazily refreshed set of credentials. Get one with {@link getBedrockHubSession}.
 *
 * With hub mode off (`BEDROCK_ASSUME_ROLE_ARN` absent or empty), {@link BedrockHubSession.client}
 * is exactly `new Client(config)`.
 */
export class BedrockHubSession {
  /** Whether calls go through the hub role. */
  public readonly enabled: boolean;
  /** The region of STS and of the clients built here (unless their config says otherwise). */
  public readonly region: string | undefined;
  /** The hub role; undefined when hub mode is off. */
  public readonly roleArn: string | undefined;
  /** The role session name; undefined when hub mode is off. */
  public readonly sessionName: string | undefined;
  /**
   * The hub credentials, for other SDKs and libraries; undefined when hub mode is off. Each call
   * returns credentials that are good to sign with now (refreshing if needed).
   */
  public readonly credentials: AwsCredentialIdentityProvider | undefined;
  readonly #role: RoleSession | undefined;

  /** @internal use {@link getBedrockHubSession} */
  constructor(config: HubConfig, role: RoleSession | undefined) {
    this.enabled = role !== undefined;
    this.region = config.region;
    this.roleArn = role?.target.roleArn;
    this.sessionName = role?.target.sessionName;
    this.credentials = role?.credentials;
    this.#role = role;
  }

  /**
   * Builds an SDK client. Hub mode on: signed with SigV4 and the hub credentials (never the
   * function's own, never a bearer token), in {@link region} unless `config.region` says
   * otherwise, and retried once with fresh credentials on `ExpiredToken`. Hub mode off: exactly
   * `new ClientClass(config)`.
   *
   * @param ClientClass any AWS SDK for JavaScript v3 client class, e.g. `BedrockRuntimeClient`
   * @param config the client's configuration, without `credentials` or `token` when hub mode is on
   */
  public client<C extends SdkClient, Config extends object>(ClientClass: new (config: Config) => C, config?: Config): C {
    const role = this.#role;
    // Hub mode off: the very call the handler would have made, argument for argument.
    if (!role) return config === undefined ? new (ClientClass as unknown as new () => C)() : new ClientClass(config);

    const given = (config ?? {}) as Record<string, unknown>;
    for (const option of ['credentials', 'token'] as const) {
      if (given[option] !== undefined) {
        throw new BedrockHubError('configuration',
          `hub.client() was given \`${option}\`, but hub clients always use the hub role's credentials (${role.target.roleArn}).`,
          `Remove \`${option}\` from the config, or build the client with \`new ${ClientClass.name}(…)\` if it must not go through the hub.`);
      }
    }
    const client = new ClientClass({
      ...given,
      region: given.region ?? this.region,
      credentials: role.credentials,
      // AWS_BEARER_TOKEN_BEDROCK makes newer Bedrock clients prefer bearer auth; hub clients sign
      // with SigV4, and the bearer identity provider refuses rather than reads the variable.
      authSchemePreference: ['sigv4'],
      token: refuseBearerToken,
    } as unknown as Config);
    client.middlewareStack.use(expiredTokenRetryPlugin(role.cache));
    return client;
  }

  /**
   * Who the hub credentials belong to (from AssumeRole's answer: no extra call). Undefined when
   * hub mode is off.
   */
  public async identity(): Promise<BedrockHubIdentity | undefined> {
    if (!this.#role) return undefined;
    const current = await this.#role.cache.get();
    return {
      account: current.account,
      arn: current.assumedRoleArn,
      sessionName: current.sessionName,
      expiration: current.expiration,
    };
  }

  /**
   * Explains an error from a call made with a hub client: a `BedrockHubError` naming the layer
   * (hub role lacks the Bedrock permission or model access, resource in the wrong account, client
   * not built by the hub) with the original as `cause`, or the error itself when there is nothing
   * to add or hub mode is off.
   *
   * @param error what the call threw
   * @param region the region the failing client called, when it is not {@link region}
   */
  public explainError(error: unknown, region?: string): unknown {
    const role = this.#role;
    if (!role) return error;
    return explainBedrockError(error, { roleArn: role.target.roleArn, account: role.target.account, region: region ?? this.region ?? '' });
  }

  /** A loggable summary (never the ExternalId or any credential). */
  public toJSON(): Record<string, unknown> {
    return {
      enabled: this.enabled,
      region: this.region,
      roleArn: this.roleArn,
      sessionName: this.sessionName,
      externalId: this.#role?.target.externalId === undefined ? undefined : '(set)',
      durationSeconds: this.#role?.target.durationSeconds,
    };
  }
}

/**
 * The hub session for this function's configuration (the `BEDROCK_ASSUME_ROLE_*` variables) and
 * region, cached per process: call it anywhere, as often as you like.
 *
 * @throws BedrockHubError of layer `configuration` when a variable has an unusable value; the
 *   message names the variable and the fix.
 */
export function getBedrockHubSession(options: BedrockHubSessionOptions = {}): BedrockHubSession {
  const config = readHubConfig({ env: options.env ?? process.env, region: options.region });
  const key = JSON.stringify([config.region ?? null, config.target ? roleTargetKey(config.target) : null]);
  let session = hubSessions.get(key);
  if (!session) {
    session = new BedrockHubSession(config, config.target ? roleSessionFor(config.target, options) : undefined);
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
}
