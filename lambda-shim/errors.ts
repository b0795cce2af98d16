/**
 * What failed, in which layer, and what to do about it.
 *
 * A call through the hub crosses several layers that each fail with a similar-looking
 * `AccessDenied`: the function's own policy, the hub role's trust policy, the hub role's Bedrock
 * permissions, model access in the hub account and region. {@link BedrockHubError} names the layer
 * and carries a hint; the functions below turn STS and Bedrock errors into one.
 *
 * Nothing here ever puts a secret into a message: the ExternalId value, secret keys and session
 * tokens never reach this module.
 */

import type { AbsoluteLocation, HandlerExecutionContext, InitializeHandlerOptions, InitializeMiddleware } from '@smithy/types';
import { ENV } from '../src/contract';

/**
 * The layer a {@link BedrockHubError} blames.
 *
 * - `configuration`: a variable (or option) has an unusable value; the message names it.
 * - `local-credentials`: the function's own credentials, used to call AssumeRole, could not be
 *   loaded or were rejected by STS.
 * - `sts-unreachable`: no connection to STS (typically a VPC without an STS interface endpoint).
 * - `sts-throttled`: STS throttled AssumeRole.
 * - `caller-policy`: the workload side denies `sts:AssumeRole` (identity-based policy, permissions
 *   boundary or SCP of the function's role).
 * - `trust-policy`: the hub role's trust policy (or its `sts:ExternalId` condition) rejects the caller.
 * - `assume-role-denied`: AccessDenied on AssumeRole, and STS did not say which of the two above.
 * - `session-duration`: the requested DurationSeconds is longer than STS allows.
 * - `identity-mismatch`: AssumeRole returned a session in another account than the role's.
 * - `attribution`: STS refused the session tags or source identity (`sts:TagSession` /
 *   `sts:SetSourceIdentity` not allowed on one side, tags too large or invalid).
 * - `sts`: any other STS failure.
 * - `expired-token`: Bedrock still reported an expired token after a refresh and one retry.
 * - `hub-permission`: AssumeRole worked, but the hub role may not make this Bedrock call
 *   (permission, model access in the hub account and region, SCP).
 * - `hub-resource`: the Bedrock resource is not in the hub account and region.
 * - `wrong-client`: the Bedrock call was not made with hub credentials at all.
 * - `invalid-identifier`: an account id, Bedrock id or ARN given to the shim or to a hub client is
 *   malformed (a stray quote or whitespace, wrong length or case); nothing was sent.
 * - `resource-account`: a request names a resource ARN in another account than the role the client
 *   signs as; refused before anything was sent (not even AssumeRole).
 * - `no-target-role`: `forAccount` / `forResource` named an account no role is configured for.
 */
export type BedrockHubErrorLayer =
  | 'configuration'
  | 'local-credentials'
  | 'sts-unreachable'
  | 'sts-throttled'
  | 'caller-policy'
  | 'trust-policy'
  | 'assume-role-denied'
  | 'session-duration'
  | 'identity-mismatch'
  | 'attribution'
  | 'sts'
  | 'expired-token'
  | 'hub-permission'
  | 'hub-resource'
  | 'wrong-client'
  | 'invalid-identifier'
  | 'resource-account'
  | 'no-target-role';

/**
 * An error of the hub path, with the layer that failed and what to do.
 *
 * `message` reads `bedrock-hub-access (<layer>): <what happened> <hint>`, so the whole diagnosis
 * shows up wherever only the message is logged (Lambda's error log, for one). The original error,
 * when there is one, is `cause`. An explained service error keeps the SDK's `$metadata` (request
 * id, HTTP status) and `$fault`, so code that logs those still finds them.
 */
export class BedrockHubError extends Error {
  /** Which layer failed. */
  public readonly layer: BedrockHubErrorLayer;
  /** What to do about it. */
  public readonly hint: string;
  /** The service error's `$metadata`, when this explains one. */
  declare public readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string; readonly [key: string]: unknown };
  /** The service error's `$fault`, when this explains one. */
  declare public readonly $fault?: 'client' | 'server';

  /**
   * @param layer which layer failed
   * @param problem what happened, in one or two sentences
   * @param hint what to do about it
   * @param cause the original error, if any
   */
  constructor(layer: BedrockHubErrorLayer, problem: string, hint: string, cause?: unknown) {
    super(`bedrock-hub-access (${layer}): ${problem} ${hint}`, cause === undefined ? undefined : { cause });
    this.name = 'BedrockHubError';
    this.layer = layer;
    this.hint = hint;
  }

  /** A structured form for JSON logs; the cause is reduced to its name, code and message. */
  public toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      layer: this.layer,
      message: this.message,
      hint: this.hint,
      cause: summarizeCause(this.cause),
    };
  }
}

// ---------------------------------------------------------------------------
// Reading SDK and Node.js errors
// ---------------------------------------------------------------------------

interface ErrorLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly Code?: unknown;
  readonly message?: unknown;
  readonly errors?: unknown;
  readonly cause?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string };
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

function summarizeCause(cause: unknown): Record<string, unknown> | undefined {
  if (cause === undefined) return undefined;
  const e = asErrorLike(cause);
  return {
    name: typeof e.name === 'string' ? e.name : undefined,
    code: errorCode(cause),
    message: errorMessage(cause),
    httpStatusCode: e.$metadata?.httpStatusCode,
    requestId: e.$metadata?.requestId,
  };
}

/** Copies the SDK's `$metadata` and `$fault` from the service error `cause` onto `error`. */
export function withServiceMetadata(error: BedrockHubError, cause: unknown): BedrockHubError {
  const { $metadata, $fault } = asErrorLike(cause) as { $metadata?: unknown; $fault?: unknown };
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

// ---------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------

/**
 * A bad variable or option value: `name` is the variable, `problem` reads on from it (the
 * contract's `describe*Problem` texts do), `fix` says what to set.
 */
export function configurationError(name: string, problem: string, fix: string): BedrockHubError {
  // The contract's texts either read on from the name ("contains whitespace …") or stand alone.
  const joiner = /^[a-z]/.test(problem) ? ' ' : ': ';
  return new BedrockHubError('configuration', `${name}${joiner}${problem}`, fix);
}

// ---------------------------------------------------------------------------
// AssumeRole
// ---------------------------------------------------------------------------

/** What an AssumeRole error is explained against. Never holds the ExternalId value. */
export interface AssumeRoleErrorContext {
  readonly roleArn: string;
  readonly stsRegion: string;
  /** Whether an ExternalId was sent (its value is a secret and never needed here). */
  readonly externalIdSet: boolean;
  readonly durationSeconds: number;
  /** The STS endpoint when one is configured; otherwise the regional default is assumed. */
  readonly stsEndpoint?: string;
  /** The session tag keys sent (values are not needed here). */
  readonly tagKeys?: readonly string[];
  /** Whether a SourceIdentity was sent. */
  readonly sourceIdentitySet?: boolean;
}

const STS_ACCESS_DENIED_CODES = new Set(['AccessDenied', 'AccessDeniedException']);
const STS_THROTTLING_CODES = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException']);
const LOCAL_CREDENTIAL_CODES = new Set([
  'InvalidClientTokenId', 'SignatureDoesNotMatch', 'IncompleteSignature', 'MissingAuthenticationToken',
  'UnrecognizedClientException', 'ExpiredToken', 'ExpiredTokenException', 'InvalidAccessKeyId',
]);

/** `User: <arn> is not authorized …`: the caller STS names, or `undefined`. */
function callerArnOf(message: string): string | undefined {
  return /User: (arn:\S+?) is not authorized/.exec(message)?.[1];
}

/** Turns an error from `sts:AssumeRole` into a {@link BedrockHubError} that names the layer. */
export function assumeRoleError(error: unknown, ctx: AssumeRoleErrorContext): BedrockHubError {
  if (error instanceof BedrockHubError) return error;
  const code = errorCode(error) ?? 'Error';
  const message = errorMessage(error);
  const said = message ? `: ${message}` : '';
  const endpoint = ctx.stsEndpoint ?? `the regional STS endpoint of ${ctx.stsRegion} (sts.${ctx.stsRegion}.amazonaws.com)`;

  if (isNetworkError(error)) {
    return new BedrockHubError('sts-unreachable',
      `Could not reach ${endpoint} to assume ${ctx.roleArn} (${code}${said}).`,
      `A function in a VPC needs an STS interface VPC endpoint (com.amazonaws.${ctx.stsRegion}.sts) with private DNS enabled, ` +
      'or a route to the internet through a NAT gateway; the endpoint\'s security group must allow HTTPS (443) from the function. ' +
      'If AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL is set, check that it points at a reachable STS endpoint.',
      error);
  }

  if (code === 'CredentialsProviderError') {
    return new BedrockHubError('local-credentials',
      `Could not load the function's own credentials to call AssumeRole on ${ctx.roleArn}${said}.`,
      'In Lambda these come from the execution role automatically; elsewhere, configure credentials for the default chain or pass `masterCredentials`.',
      error);
  }

  const attribution = attributionError(error, code, message, ctx);
  if (attribution) return attribution;

  if (STS_ACCESS_DENIED_CODES.has(code)) {
    return accessDeniedError(error, message, ctx);
  }

  if (STS_THROTTLING_CODES.has(code)) {
    return new BedrockHubError('sts-throttled',
      `STS throttled AssumeRole on ${ctx.roleArn} (${code}${said}).`,
      'The shim already makes one AssumeRole per hub session per process; many concurrent cold starts, or other callers in the ' +
      'same account and region, share the STS request quota. Retry later, reduce concurrent cold starts, or ask for a higher STS quota.',
      error);
  }

  if (code === 'ValidationError' && /DurationSeconds/i.test(message)) {
    const chaining = /role chaining/i.test(message);
    return new BedrockHubError('session-duration',
      `STS refused DurationSeconds=${ctx.durationSeconds} for ${ctx.roleArn}${said}.`,
      chaining
        ? `From Lambda, assuming the hub role is role chaining, which STS caps at one hour: set ${ENV.DURATION_SECONDS} to 3600 or less.`
        : `Set ${ENV.DURATION_SECONDS} to at most the hub role's MaxSessionDuration, or raise the role's MaxSessionDuration.`,
      error);
  }

  if (code === 'RegionDisabledException') {
    return new BedrockHubError('sts',
      `STS is not activated in ${ctx.stsRegion} for the calling account${said}.`,
      `Activate the STS endpoint for ${ctx.stsRegion} in the workload account (IAM > Account settings), or run in a region where it is active.`,
      error);
  }

  if (LOCAL_CREDENTIAL_CODES.has(code)) {
    return new BedrockHubError('local-credentials',
      `STS rejected the function's own credentials when assuming ${ctx.roleArn} (${code}${said}).`,
      'These are the credentials AssumeRole is signed with (the execution role in Lambda, or `masterCredentials`). ' +
      'Check that they are current and belong to the partition of the STS endpoint; in an opt-in region, check that the region is enabled for the account.',
      error);
  }

  return new BedrockHubError('sts',
    `AssumeRole on ${ctx.roleArn} failed in ${ctx.stsRegion} (${code}${said}).`,
    'If this persists, check the AWS Health Dashboard for STS in this region; the error\'s cause has the request id for AWS Support.',
    error);
}

/**
 * STS refused the session tags or source identity: AccessDenied naming sts:TagSession or
 * sts:SetSourceIdentity (either side may lack it), PackedPolicyTooLarge, or invalid tag values.
 */
function attributionError(error: unknown, code: string, message: string, ctx: AssumeRoleErrorContext): BedrockHubError | undefined {
  const tagsSent = (ctx.tagKeys?.length ?? 0) > 0;
  if (!tagsSent && !ctx.sourceIdentitySet) return undefined;
  const said = message ? ` STS said: ${message}` : '';
  const sent = [
    tagsSent ? `the session tags ${ctx.tagKeys!.join(', ')} (from ${ENV.SESSION_TAGS} / ${ENV.FUNCTION_NAME_TAG_KEY})` : '',
    ctx.sourceIdentitySet ? `a SourceIdentity (from ${ENV.SOURCE_IDENTITY})` : '',
  ].filter(Boolean).join(' and ');
  const action = /sts:(TagSession|SetSourceIdentity)\b/.exec(message)?.[0];
  if (STS_ACCESS_DENIED_CODES.has(code) && action) {
    const caller = callerArnOf(message) ?? "the function's execution role";
    const side = /identity-based policy|permissions boundary|service control policy/i.test(message) ? ' STS blames the caller\'s side.'
      : /resource-based policy/i.test(message) ? ' STS blames the trust policy.' : '';
    return new BedrockHubError('attribution',
      `AssumeRole on ${ctx.roleArn} sent ${sent}, and ${caller} may not ${action} on it.${side}${said}`,
      `Allow ${action} on both sides: in the execution role's identity-based policy, on ${ctx.roleArn} next to sts:AssumeRole, ` +
      `AND in the trust policy of ${ctx.roleArn}, in the statement that allows sts:AssumeRole. Or stop sending them (unset the variables above).`,
      error);
  }
  if (/^PackedPolicyTooLarge/.test(code)) {
    return new BedrockHubError('attribution',
      `AssumeRole on ${ctx.roleArn} sent ${sent}, and STS found the packed session too large.${said}`,
      'Session tags share a packed size limit with session policies (STS reports the share used): send fewer tags, or shorter keys and values.',
      error);
  }
  if (/^(InvalidParameterValue|ValidationError)/.test(code) && /\btags?\b|source ?identity/i.test(message)) {
    return new BedrockHubError('attribution',
      `STS rejected ${sent} on AssumeRole on ${ctx.roleArn} (${code}).${said}`,
      `Fix ${tagsSent ? ENV.SESSION_TAGS : ENV.SOURCE_IDENTITY}: tag keys are unique regardless of case and may not override transitive tags ` +
      'of the calling session; a source identity, once set on a session, cannot be changed by role chaining.',
      error);
  }
  return undefined;
}

function accessDeniedError(error: unknown, message: string, ctx: AssumeRoleErrorContext): BedrockHubError {
  const caller = callerArnOf(message) ?? "the function's execution role";
  const said = message ? ` STS said: ${message}` : '';
  const externalIdText = ctx.externalIdSet
    ? `the trust policy's sts:ExternalId condition must equal ${ENV.EXTERNAL_ID}`
    : `${ENV.EXTERNAL_ID} is not set, so no ExternalId was sent: if the trust policy has an sts:ExternalId condition, set it to the same value`;
  const callerSide =
    `the workload side: the execution role ${caller} needs an identity-based policy allowing sts:AssumeRole on exactly ${ctx.roleArn} ` +
    '(the BedrockHubAccess construct grants it); a permissions boundary or SCP in the workload account can also deny it. ' +
    `A common cause is a role ARN and ExternalId pasted together into one value: ${ENV.ROLE_ARN} must be the ARN alone, ` +
    `with the ExternalId in ${ENV.EXTERNAL_ID}`;
  const hubSide =
    `the hub side: the trust policy of ${ctx.roleArn} must allow ${caller} (or its account) as Principal for sts:AssumeRole, ` +
    `and ${externalIdText}`;

  if (/no identity-based policy allows|explicit deny in an identity-based policy|permissions boundary|service control policy/i.test(message)) {
    return new BedrockHubError('caller-policy',
      `${caller} may not call sts:AssumeRole on ${ctx.roleArn}.${said}`,
      `Fix ${callerSide}.`,
      error);
  }
  if (/no resource-based policy allows|explicit deny in a resource-based policy/i.test(message)) {
    return new BedrockHubError('trust-policy',
      `The trust policy of ${ctx.roleArn} does not let ${caller} assume it.${said}`,
      `Fix ${hubSide}.`,
      error);
  }
  const attribution = (ctx.tagKeys?.length ?? 0) > 0 || ctx.sourceIdentitySet
    ? ' Session tags or a source identity were sent: both sides must also allow sts:TagSession / sts:SetSourceIdentity.' : '';
  return new BedrockHubError('assume-role-denied',
    `AssumeRole on ${ctx.roleArn} was denied for ${caller}, and STS did not say by which policy.${said}`,
    `Check both sides. (1) ${callerSide.charAt(0).toUpperCase()}${callerSide.slice(1)}. (2) ${hubSide.charAt(0).toUpperCase()}${hubSide.slice(1)}.${attribution}`,
    error);
}

// ---------------------------------------------------------------------------
// Bedrock calls made with hub credentials
// ---------------------------------------------------------------------------

/** What a Bedrock error is explained against. */
export interface BedrockErrorContext {
  readonly roleArn: string;
  /** The hub account (the role ARN's). */
  readonly account: string;
  /** The region the Bedrock client calls. */
  readonly region: string;
  /** A target role of {@link ENV.TARGETS} rather than the hub role. */
  readonly target?: boolean;
}

/** Account ids named in ARNs in `text` (`arn:<partition>:<service>:<region>:<account>:…`). */
function arnsIn(text: string): { arn: string; account: string }[] {
  const found: { arn: string; account: string }[] = [];
  for (const match of text.matchAll(/arn:[\w-]+:[\w-]+:[\w-]*:(\d{12})?:[^\s,;"']+/g)) {
    found.push({ arn: match[0], account: match[1] ?? '' });
  }
  return found;
}

/**
 * Explains an error from a Bedrock call made through the hub: returns a {@link BedrockHubError}
 * (with the original as `cause`) when the hub adds something useful, the error itself otherwise.
 */
export function explainBedrockError(error: unknown, ctx: BedrockErrorContext): unknown {
  if (error instanceof BedrockHubError) return error;
  const explained = explain(error, ctx);
  return explained === error ? error : withServiceMetadata(explained as BedrockHubError, error);
}

function explain(error: unknown, ctx: BedrockErrorContext): unknown {
  const who = ctx.target ? 'target' : 'hub';
  const code = errorCode(error);
  const message = errorMessage(error);
  const said = message ? ` Bedrock said: ${message}` : '';
  const arns = arnsIn(message);

  const caller = /User: (arn:\S+?) is not authorized/.exec(message)?.[1];
  if (caller && arnsIn(caller)[0]?.account && arnsIn(caller)[0].account !== ctx.account) {
    return new BedrockHubError('wrong-client',
      `The Bedrock call was made as ${caller}, not as the ${who} role ${ctx.roleArn} (account ${ctx.account}).${said}`,
      'Make the call with a client built by `hub.client(...)`; a client built with `new …Client()` uses the function\'s own credentials.',
      error);
  }

  const foreign = arns.find((a) => a.account !== '' && a.account !== ctx.account && !/:(sts|iam)::/.test(a.arn));
  if (foreign && (code === 'AccessDeniedException' || code === 'ResourceNotFoundException' || code === 'ValidationException')) {
    return new BedrockHubError('hub-resource',
      `The call names ${foreign.arn}, which is in account ${foreign.account}, but calls through the ${who} role run as ${ctx.roleArn} in account ${ctx.account}.${said}`,
      `Application inference profiles, guardrails, knowledge bases, prompts and agents are account-scoped: create the resource in the ${who} account ${ctx.account} ` +
      `(${ctx.region}) and use that ARN, or use a system-defined cross-region inference profile (us., eu., global., …).`,
      error);
  }

  if ((code === 'AccessDeniedException' || code === 'AccessDenied') && /don't have access to the model/i.test(message)) {
    // Bedrock's answer when model access is not enabled: no action or policy is named.
    return new BedrockHubError('hub-permission',
      `Bedrock in ${ctx.region} says the ${who} account ${ctx.account} has no access to this model.${said}`,
      `Enable access to the model in the ${who} account ${ctx.account}, region ${ctx.region} (Bedrock console > Model access; access is per account and ` +
      'per region, and the workload account\'s access does not count). AssumeRole succeeded, so the workload side is fine.',
      error);
  }

  if (code === 'AccessDeniedException' || code === 'AccessDenied') {
    const action = /perform: (bedrock:\w+)/.exec(message)?.[1] ?? 'the bedrock:* action of this call';
    return new BedrockHubError('hub-permission',
      `Bedrock denied the call to the ${who} role ${ctx.roleArn} in ${ctx.region}.${said}`,
      `AssumeRole succeeded, so the workload side is fine. In the ${who} account ${ctx.account}: allow ${action} to the role on the model, ` +
      `inference-profile or guardrail ARNs it uses; enable access to the model in ${ctx.region} (model access is per account and per region); ` +
      `check the ${who} account's SCPs and the role's permissions boundary.`,
      error);
  }

  if (code === 'ResourceNotFoundException' || (code === 'ValidationException' && /model identifier|inference profile|model id/i.test(message))) {
    return new BedrockHubError('hub-resource',
      `Bedrock in ${ctx.region} of the ${who} account ${ctx.account} does not know the resource of this call.${said}`,
      `Resources resolve in the ${who} account and region: check that the model, inference profile, guardrail, agent or knowledge base exists in ${ctx.account} ` +
      `and ${ctx.region}, and that the model is offered in ${ctx.region}.`,
      error);
  }

  return error;
}

/** Options of the explaining middleware: the outermost of the initialize step, so it sees what the call finally throws. */
export const explainErrorsMiddlewareOptions: InitializeHandlerOptions & AbsoluteLocation = {
  step: 'initialize',
  priority: 'high',
  name: 'bedrockHubExplainErrorsMiddleware',
  tags: ['BEDROCK_HUB_ACCESS'],
  override: true,
};

/**
 * Passes what a Bedrock client's call throws through {@link explainBedrockError}. It wraps the
 * ExpiredToken retry, which therefore still sees the service's own error.
 */
export function explainErrorsMiddleware(ctx: BedrockErrorContext): InitializeMiddleware<object, object> {
  return (next, context: HandlerExecutionContext) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      throw /^Bedrock/.test(context.clientName ?? '') ? explainBedrockError(error, ctx) : error;
    }
  };
}
