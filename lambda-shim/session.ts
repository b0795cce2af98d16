/**
 * The hub session: what handler code holds. It builds SDK clients on the shared hub credentials
 * and is cached per configuration and region, like the credential caches behind it. Each target
 * account of `BEDROCK_ASSUME_ROLE_TARGETS` has a session of its own, reached with `forAccount` /
 * `forResource`.
 */

import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, MiddlewareStack } from '@smithy/types';
import { warnAboutBearerBypass } from './bearer-warning';
import { explainBedrockError, explainErrorsMiddleware, explainErrorsMiddlewareOptions } from './bedrock-diagnosis';
import type { BedrockCallContext } from './bedrock-diagnosis';
import { systemClock } from './clock';
import type { Clock } from './clock';
import { readHubConfig, roleSessionKey } from './config';
import type { Environment, HubConfig } from './config';
import { BedrockHubError } from './errors';
import { expiredTokenRetryPlugin } from './expired-token-retry';
import { recordInvocationDeadline } from './invocation-budget';
import { shouldPrefetch } from './prefetch';
import { cachedHubSession, roleSessionFor } from './process-caches';
import type { RoleSession } from './process-caches';
import { requestCheckMiddleware, requestCheckMiddlewareOptions } from './request-checks';
import type { RemainingTime } from './sts-backoff';
import {
  ENV,
  describeAccountIdProblem,
  describeBedrockArnProblem,
  describeBedrockIdProblem,
  describeStrayCharacter,
  parseBedrockArn,
  showValue,
} from '../src/contract';

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
  /**
   * Whether to start AssumeRole as soon as the session is created (in Lambda: during INIT, when
   * the session is obtained at module scope), so the first invocation does not wait for it. A
   * prefetch that fails, or is frozen with the environment (provisioned concurrency), fails
   * nothing: the first call then assumes the role itself.
   * @default true inside the Lambda runtime (`AWS_LAMBDA_FUNCTION_NAME` and `AWS_LAMBDA_RUNTIME_API` set), false elsewhere
   */
  readonly prefetch?: boolean;
}

/** Who the credentials of a session belong to. */
export interface BedrockHubIdentity {
  /** The role's account: the hub account, or a target account. */
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

/** The sessions of one configuration: the one `getBedrockHubSession` returns, and one per target account. */
interface SessionFamily {
  primary?: BedrockHubSession;
  /** Sessions by the account of their role (the hub role's account included). */
  readonly byAccount: Map<string, BedrockHubSession>;
  /** The clock of the configuration's sessions. */
  readonly clock: Clock;
}

/** A token provider for hub clients: bearer auth is never a way around the hub's SigV4. */
async function refuseBearerToken(): Promise<never> {
  throw new BedrockHubError('configuration',
    'A hub client was asked for a bearer token; hub clients only sign with SigV4 and the hub credentials.',
    'Remove AWS_BEARER_TOKEN_BEDROCK / AWS_AUTH_SCHEME_PREFERENCE from the function, or make this call with a client not built by hub.client().');
}

/**
 * Builds AWS SDK v3 clients that call Bedrock (or anything else) as the hub role, on one shared,
 * lazily refreshed set of credentials. Get one with {@link getBedrockHubSession}; get the session
 * of another account's role with {@link BedrockHubSession.forAccount} or
 * {@link BedrockHubSession.forResource}.
 *
 * With hub mode off (`BEDROCK_ASSUME_ROLE_ARN` absent or empty), {@link BedrockHubSession.client}
 * is exactly `new Client(config)`.
 */
export class BedrockHubSession {
  /** Whether calls go through a role (the hub role, or for a target session, the target's role). */
  public readonly enabled: boolean;
  /** The region of STS and of the clients built here (unless their config says otherwise). */
  public readonly region: string | undefined;
  /** The role this session assumes; undefined when hub mode is off. */
  public readonly roleArn: string | undefined;
  /** The account of {@link roleArn}: the hub account, or a target account; undefined when hub mode is off. */
  public readonly account: string | undefined;
  /** The role session name; undefined when hub mode is off. */
  public readonly sessionName: string | undefined;
  /**
   * The session's credentials, for other SDKs and libraries; undefined when hub mode is off. Each
   * call returns credentials that are good to sign with now (refreshing if needed).
   */
  public readonly credentials: AwsCredentialIdentityProvider | undefined;
  readonly #role: RoleSession | undefined;
  readonly #family: SessionFamily;

  /** @internal use {@link getBedrockHubSession} */
  constructor(config: HubConfig, role: RoleSession | undefined, family: SessionFamily) {
    this.enabled = role !== undefined;
    this.region = config.region;
    this.roleArn = role?.role.roleArn;
    this.account = role?.role.account;
    this.sessionName = role?.role.sessionName;
    this.credentials = role?.credentials;
    this.#role = role;
    this.#family = family;
  }

  /** The accounts with a role, in order: the hub role's, then those of `BEDROCK_ASSUME_ROLE_TARGETS`. */
  public get accounts(): readonly string[] {
    return [...this.#family.byAccount.keys()];
  }

  /**
   * Hands the shim the invocation's Lambda context, so a throttled AssumeRole is retried (with
   * exponential backoff and full jitter) until shortly before this invocation times out, 1 s
   * before `context.getRemainingTimeInMillis()` runs out, rather than for the default 10 s. Call
   * it first thing in the handler; it returns the session, so
   * `hub.withContext(context).client(…)` reads naturally. Invocations running at once in one
   * environment share one AssumeRole, bounded by the latest deadline handed over. Does nothing
   * when hub mode is off.
   *
   * @param context the handler's second argument (anything with `getRemainingTimeInMillis()`);
   *   undefined (a handler called without one, as in a test) changes nothing
   */
  public withContext(context: RemainingTime | undefined): this {
    if (context && this.#family.byAccount.size > 0) recordInvocationDeadline(context, this.#family.clock);
    return this;
  }

  /**
   * Resolves when the session's credentials have been fetched ahead of the first call: for an ES
   * module handler, `await hub.ready()` at top level keeps AssumeRole inside the INIT phase.
   * Starts the fetch if it has not started (outside Lambda it does not start on its own). Never
   * rejects: when the fetch fails, the first call assumes the role itself and throws the explained
   * error. Resolves at once when hub mode is off, or once the credentials have been used.
   */
  public async ready(): Promise<void> {
    const role = this.#role;
    if (!role) return;
    role.prefetch();
    // The prefetch's waits between throttled attempts hold nothing alive; awaited at an ES module's top
    // level before the runtime polls for work, nothing else may, and Node would end the process.
    const keepAlive = setInterval(() => undefined, 60_000);
    try {
      await role.prefetched();
    } finally {
      clearInterval(keepAlive);
    }
  }

  /**
   * The session for a resource in `accountId`, with its own credential cache (and the same
   * refresh windows, single flight, ExpiredToken retry and identity check as the hub's):
   *
   * - the hub role's account: the hub session;
   * - an account of `BEDROCK_ASSUME_ROLE_TARGETS`: that target role's session;
   * - any other account: a `BedrockHubError` of layer `no-target-role` naming the configured
   *   accounts; never a silent fallback to the hub's or the function's own credentials.
   *
   * With hub mode off, accounts without a target role get the hub-off session itself: calls are
   * made as the function, exactly as without the shim, so a handler needs no `if (hub.enabled)`.
   *
   * @param accountId the 12-digit account id; a stray quote or whitespace is named in the error
   * @throws BedrockHubError of layer `invalid-identifier` or `no-target-role`
   */
  public forAccount(accountId: string): BedrockHubSession {
    const problem = describeAccountIdProblem(accountId);
    if (problem) {
      throw new BedrockHubError('invalid-identifier', `forAccount: the account id ${problem}`,
        'Pass the account id alone, as stored without quotes or whitespace.');
    }
    return this.#forAccount(accountId);
  }

  /**
   * The session for the account in a Bedrock resource ARN (agent alias, knowledge base, flow,
   * guardrail, application inference profile, prompt, …), as {@link forAccount} picks it. An ARN
   * without an account (`foundation-model/…`), a model id or a system-defined inference profile id
   * (`anthropic.claude-…`, `us.amazon.nova-…`: ids with a '.') resolve to the session
   * `getBedrockHubSession` returned. Other plain ids (agent, knowledge base, guardrail) name no
   * account, so they are refused: pass the ARN, or use {@link forAccount}.
   *
   * @throws BedrockHubError of layer `invalid-identifier` or `no-target-role`
   */
  public forResource(arnOrModelId: string): BedrockHubSession {
    const isArn = arnOrModelId.startsWith('arn:');
    const problem = isArn ? describeBedrockArnProblem(arnOrModelId)
      : arnOrModelId.includes('.') ? describeBedrockIdProblem('modelId', arnOrModelId)
        : `${describeStrayCharacter(arnOrModelId) ?? `${showValue(arnOrModelId)} is not an ARN`}; ` +
          'agent, knowledge base and guardrail ids name no account, so forResource cannot pick a role for them.';
    if (problem) {
      throw new BedrockHubError('invalid-identifier', `forResource: ${problem}`,
        "Pass the resource's ARN (e.g. arn:aws:bedrock:us-east-1:111122223333:agent-alias/AGENT12345/ALIAS12345), or call forAccount(accountId).");
    }
    const arn = isArn ? parseBedrockArn(arnOrModelId) : undefined;
    return arn?.account ? this.#forAccount(arn.account, `${arn.resourceType} ${arnOrModelId}`) : this.#primary;
  }

  get #primary(): BedrockHubSession {
    return this.#family.primary ?? this;
  }

  #forAccount(account: string, resource?: string): BedrockHubSession {
    const session = this.#family.byAccount.get(account);
    if (session) return session;
    const primary = this.#primary;
    if (!primary.enabled) return primary;
    const configured = [...this.#family.byAccount].map(([a, s]) => `${a} (${s === primary ? ENV.ROLE_ARN : ENV.TARGETS})`).join(', ');
    throw new BedrockHubError('no-target-role',
      `No role is configured for account ${account}${resource ? `, where the ${resource} is` : ''}. Accounts with a role: ${configured}.`,
      `Add {"roleArn":"arn:aws:iam::${account}:role/<name>"} to ${ENV.TARGETS} (one role per account; its trust policy must let the function's role ` +
      'assume it), or use a resource in one of those accounts.');
  }

  /**
   * Builds an SDK client. Hub mode on: signed with SigV4 and this session's role credentials (never
   * the function's own, never a bearer token), in {@link region} unless `config.region` says
   * otherwise, and retried once with fresh credentials on `ExpiredToken`. On Bedrock clients, ids
   * and resource ARNs in the request are checked before anything is sent (layers
   * `invalid-identifier`, `resource-account`), and Bedrock's errors are explained: the call throws a
   * `BedrockHubError` naming the layer, with the service error as `cause` and its `$metadata` and
   * `$fault`. Hub mode off: exactly `new ClientClass(config)`.
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
          `hub.client() was given \`${option}\`, but hub clients always use the role's credentials (${role.role.roleArn}).`,
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
    const ctx = this.#errorContext(typeof given.region === 'string' ? given.region : undefined);
    // Outermost first: explain what finally comes out, check before anything is resolved, retry inside.
    client.middlewareStack.add(explainErrorsMiddleware(ctx), explainErrorsMiddlewareOptions);
    client.middlewareStack.add(requestCheckMiddleware({
      ...ctx,
      roleFor: (account) => this.#family.byAccount.get(account)?.roleArn,
    }), requestCheckMiddlewareOptions);
    client.middlewareStack.use(expiredTokenRetryPlugin(role.cache));
    return client;
  }

  /**
   * Who the session's credentials belong to (from AssumeRole's answer: no extra call). Undefined
   * when hub mode is off.
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
   * Explains an error from a call made with a client of this session: a `BedrockHubError` naming
   * the layer (the role lacks the Bedrock permission or model access, resource in the wrong account,
   * client not built by the hub) with the original as `cause`, or the error itself when there is
   * nothing to add or hub mode is off. Bedrock clients built by {@link client} already throw
   * explained errors; explaining one again returns it unchanged.
   *
   * @param error what the call threw
   * @param region the region the failing client called, when it is not {@link region}
   */
  public explainError(error: unknown, region?: string): unknown {
    return this.#role ? explainBedrockError(error, this.#errorContext(region)) : error;
  }

  #errorContext(region: string | undefined): BedrockCallContext {
    const { kind, roleArn, account } = this.#role!.role;
    return { kind, roleArn, account, region: region ?? this.region ?? '' };
  }

  /** A loggable summary (never an ExternalId or any credential). */
  public toJSON(): Record<string, unknown> {
    const role = this.#role?.role;
    return {
      enabled: this.enabled,
      region: this.region,
      roleArn: this.roleArn,
      sessionName: this.sessionName,
      externalId: role?.externalId === undefined ? undefined : '(set)',
      durationSeconds: role?.durationSeconds,
      sessionTags: role?.tags && Object.fromEntries(role.tags.map((tag) => [tag.Key, tag.Value])),
      sourceIdentity: role?.sourceIdentity,
      accounts: this.#family.byAccount.size > 0 ? this.accounts : undefined,
    };
  }
}

/**
 * The hub session for this function's configuration (the `BEDROCK_ASSUME_ROLE_*` variables) and
 * region, cached per process: call it anywhere, as often as you like.
 *
 * `BEDROCK_ASSUME_ROLE_TARGETS` adds one role per further account (agents, knowledge bases that
 * live elsewhere), reached with `forAccount` / `forResource`; the targets share the session name,
 * duration, session tags and source identity, and each has its own ExternalId only (the hub's is
 * never sent to another account). Targets without `BEDROCK_ASSUME_ROLE_ARN` are valid: hub mode is
 * off (the returned session builds plain clients) and only the target accounts go through roles.
 *
 * Inside the Lambda runtime, a session created at module scope starts AssumeRole at once, during
 * INIT (see {@link BedrockHubSessionOptions.prefetch}).
 *
 * @throws BedrockHubError of layer `configuration` when a variable has an unusable value; the
 *   message names the variable and the fix.
 */
export function getBedrockHubSession(options: BedrockHubSessionOptions = {}): BedrockHubSession {
  const config = readHubConfig({ env: options.env ?? process.env, region: options.region });
  const key = JSON.stringify([config.region ?? null, config.hubRole ? roleSessionKey(config.hubRole) : null, config.targets.map(roleSessionKey)]);
  return cachedHubSession(key, () => {
    const family: SessionFamily = { byAccount: new Map(), clock: options.clock ?? systemClock };
    const hubRole = config.hubRole && roleSessionFor(config.hubRole, options);
    const session = new BedrockHubSession(config, hubRole, family);
    family.primary = session;
    // At module scope in Lambda this is INIT: AssumeRole overlaps the rest of it.
    if (hubRole && shouldPrefetch(options.env ?? process.env, options.prefetch)) hubRole.prefetch();
    if (config.hubRole) family.byAccount.set(config.hubRole.account, session);
    for (const target of config.targets) {
      family.byAccount.set(target.account, new BedrockHubSession(config, roleSessionFor(target, options), family));
    }
    if (config.hubRole) warnAboutBearerBypass(options.env ?? process.env, config.hubRole.roleArn);
    return session;
  });
}
