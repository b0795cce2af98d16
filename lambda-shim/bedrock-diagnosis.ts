/**
 * The Bedrock diagnosis: what an error from a Bedrock call made with hub (or target) role
 * credentials means, and the middleware that applies it to every call of a hub client.
 *
 * {@link explainBedrockError} is a pure function of the error, the {@link BedrockCallContext} and
 * what the request carried. It reads the reason clause of an access-denied message
 * (`access-denied-message.ts`) and leads with the cause AWS stated: which policy type denied, the
 * account that policy lives in (the role's, its organization's, the function's VPC endpoint's), the
 * region a cross-region profile routed to, the region-less ARN a global profile is authorized
 * against; then model access (Marketplace subscription, first-use form, payment method), model
 * routing (on-demand throughput not supported), quotas, expired or incomplete credentials, and
 * resources unknown in the role's account and region. Each cause gets only the fixes that can work.
 */

import type { AbsoluteLocation, HandlerExecutionContext, InitializeHandlerOptions, InitializeMiddleware } from '@smithy/types';
import { accessDenied } from './bedrock-access-denied';
import { foreignResource, modelAccess, modelText } from './bedrock-facts';
import type { Facts } from './bedrock-facts';
import type { RoleToAssume } from './config';
import { BedrockHubError } from './errors';
import { errorCode, errorMessage, withServiceMetadata } from './sdk-errors';
import { sourceGeographyOf } from '../src/contract';

/**
 * What a Bedrock call is explained (and checked) against: the role the client signs as (hub role
 * or target role) and the region it calls.
 */
export interface BedrockCallContext extends Pick<RoleToAssume, 'kind' | 'roleArn' | 'account'> {
  /** The region the Bedrock client calls. */
  readonly region: string;
}

/**
 * What the shim knows of the call that failed, besides the role and region: read from the
 * command's input by the middleware, or given by the caller of {@link explainBedrockError}.
 */
export interface BedrockCallDetails {
  /** The operation (`Converse`, `InvokeModel`, `InvokeAgent`, …). */
  readonly operation?: string;
  /** The `modelId` the request carried (a model id, profile id or ARN). */
  readonly modelId?: string;
  /**
   * The guardrail the request carried: its identifier, `null` when the operation takes one and
   * the request had none, `undefined` when not known.
   */
  readonly guardrailIdentifier?: string | null;
  /** The guardrail version the request carried. */
  readonly guardrailVersion?: string;
}

const ACCESS_DENIED_CODES = new Set(['AccessDeniedException', 'AccessDenied', 'accessDeniedException', 'PermissionDeniedError']);
const THROTTLING_CODES = new Set(['ThrottlingException', 'throttlingException', 'TooManyRequestsException', 'ServiceQuotaExceededException', 'serviceQuotaExceededException', 'RateLimitError']);
const VALIDATION_CODES = new Set(['ValidationException', 'validationException', 'BadRequestError']);
const NOT_FOUND_CODES = new Set(['ResourceNotFoundException', 'resourceNotFoundException', 'NotFoundError']);

/**
 * Explains an error from a Bedrock call made through the hub: returns a {@link BedrockHubError}
 * (with the original as `cause`) when the hub adds something useful, the error itself otherwise.
 *
 * @param error what the call threw
 * @param ctx the role the client signs as and the region it calls
 * @param call what the request carried, when known (the hub client's middleware passes it)
 */
export function explainBedrockError(error: unknown, ctx: BedrockCallContext, call: BedrockCallDetails = {}): unknown {
  if (error instanceof BedrockHubError) return error;
  const explained = explain(error, ctx, call);
  return explained === undefined ? error : withServiceMetadata(explained, error);
}


function explain(error: unknown, ctx: BedrockCallContext, call: BedrockCallDetails): BedrockHubError | undefined {
  const code = errorCode(error) ?? '';
  const message = errorMessage(error);
  const f: Facts = {
    error,
    ctx,
    call,
    code,
    message,
    said: message ? ` Bedrock said: ${message}` : '',
    role: `the ${ctx.kind} role ${ctx.roleArn} (account ${ctx.account})`,
    roleAccount: `the ${ctx.kind} account ${ctx.account}`,
  };
  if (code === 'ExpiredTokenException' || code === 'ExpiredToken') return expiredToken(f);
  if (code === 'UnrecognizedClientException' || code === 'InvalidSignatureException') return unrecognizedClient(f);
  if (THROTTLING_CODES.has(code)) return quota(f);
  if (ACCESS_DENIED_CODES.has(code)) return accessDenied(f);
  if (VALIDATION_CODES.has(code)) return validation(f);
  if (NOT_FOUND_CODES.has(code)) return notFound(f);
  return undefined;
}

// ---------------------------------------------------------------------------
// Credentials and quotas
// ---------------------------------------------------------------------------

function expiredToken(f: Facts): BedrockHubError {
  return new BedrockHubError('expired-token',
    `Bedrock says the security token the call was signed with has expired.${f.said}`,
    'The client signed with credentials that had expired: a client given credentials resolved once (`await hub.credentials()` kept at module scope, ' +
    'or a static { accessKeyId, secretAccessKey, sessionToken } object) keeps signing with them after they expire, an hour at most. Pass the provider ' +
    '`hub.credentials` itself (not its result), which refreshes on every call, or build the client with `hub.client(...)`, which also ' +
    'retries once on ExpiredToken. If the client already uses the provider, check the function\'s clock.',
    f.error);
}

function unrecognizedClient(f: Facts): BedrockHubError {
  return new BedrockHubError('wrong-client',
    `Bedrock does not recognize the credentials the call was signed with.${f.said}`,
    'Hub credentials are temporary: they are only valid with their session token. A library given the access key and secret without ' +
    'the session token (or with an empty one) signs a request Bedrock cannot match. Pass the provider `hub.credentials` (it returns ' +
    'all three, refreshed), or build the client with `hub.client(...)`.',
    f.error);
}

function quota(f: Facts): BedrockHubError {
  const perDay = /per day/i.test(f.message);
  return new BedrockHubError('hub-quota',
    `Bedrock throttled the call for a quota of ${f.roleAccount} in ${f.ctx.region}.${f.said}`,
    `Through the hub, Bedrock's quotas are those of ${f.roleAccount}, in the region called (${f.ctx.region}; for a cross-region ` +
    'inference profile, its source region); the workload account\'s quotas do not count, and every function using the hub shares them. ' +
    (perDay
      ? 'This is a quota of tokens per day: it frees up over the day, not in seconds. Ask for a higher quota in Service Quotas (Amazon Bedrock) '
      + `of account ${f.ctx.account}, or spread load over another model or region.`
      : 'Retry with backoff, spread load with a cross-region inference profile, or ask for a higher quota in Service Quotas (Amazon Bedrock) ' +
        `of account ${f.ctx.account}.`),
    f.error);
}

// ---------------------------------------------------------------------------
// Validation and not found
// ---------------------------------------------------------------------------

function validation(f: Facts): BedrockHubError | undefined {
  const onDemand = /Invocation of model ID (\S+) with on-demand throughput isn.t supported/i.exec(f.message);
  if (onDemand) return onDemandUnsupported(f, onDemand[1]);
  if (/provided model identifier is invalid/i.test(f.message) || /model identifier|inference profile|model id/i.test(f.message)) {
    return new BedrockHubError('hub-resource',
      `Bedrock in ${f.ctx.region} of ${f.roleAccount} does not know the model${modelText(f)}.${f.said}`,
      `Ids resolve in the ${f.ctx.kind} account and the region called: check the id${f.call.modelId ? ` ${f.call.modelId}` : ''} against ` +
      `ListFoundationModels / ListInferenceProfiles in account ${f.ctx.account}, region ${f.ctx.region} (spelling, version suffix, geography ` +
      'prefix), and that the model is offered in that region.',
      f.error);
  }
  if (/provided guardrail identifier is invalid/i.test(f.message) || /guardrail/i.test(f.message) && /not found|invalid|does not exist/i.test(f.message)) {
    const id = f.call.guardrailIdentifier ?? 'the guardrail';
    return new BedrockHubError('hub-resource',
      `Bedrock in ${f.ctx.region} of ${f.roleAccount} does not know the guardrail ${id}.${f.said}`,
      `Guardrails are account-scoped: the guardrail ${id} must exist in account ${f.ctx.account}, region ${f.ctx.region}, with the version sent ` +
      '(a number or DRAFT). Create it there, or pass the id of one that does.',
      f.error);
  }
  return undefined;
}

function onDemandUnsupported(f: Facts, modelId: string): BedrockHubError {
  const geography = sourceGeographyOf(f.ctx.region);
  const profile = geography ? `${geography}.${modelId}` : `global.${modelId}`;
  return new BedrockHubError('model-routing',
    `Bedrock does not serve ${modelId} on demand by its model id: it must be called through an inference profile that contains it.${f.said}`,
    `Call it with the inference profile id ${profile} (the ${geography ?? 'global'} profile, which ${f.ctx.region} can call)` +
    (geography ? `, or global.${modelId} where the model has a global profile` : '') +
    ', and grant that profile to the hub role with ' +
    `BedrockModel.crossRegionProfile('${profile}'${geography ? ', { destinationRegions: [...] }' : ''}) on the BedrockHubRole, which also ` +
    'allows the model in the regions the profile routes to.',
    f.error);
}

function notFound(f: Facts): BedrockHubError {
  if (/use case details have not been submitted/i.test(f.message)) {
    return modelAccess(f, `Anthropic's first-time-use form has not been submitted for ${f.roleAccount}.`,
      `Submit the Anthropic use case details in account ${f.ctx.account} (Bedrock console, or the PutUseCaseForModelAccess API), or once in ` +
      'the organization\'s management account, which covers its member accounts; the workload account\'s form does not count. It takes ' +
      'effect within minutes. No role or policy change helps.');
  }
  if (/marked by provider as Legacy/i.test(f.message)) {
    return modelAccess(f, `The model${modelText(f)} is Legacy, and ${f.roleAccount} has not used it in the last 15 days.`,
      `Legacy models stay available only to accounts that used them recently; through the hub, that is account ${f.ctx.account}. ` +
      'Move to an active model (the provider\'s successor), and grant it to the hub role.');
  }
  const resource = /arn:[\w-]+:bedrock:[\w-]*:(\d{12}):[^\s,;"']+/.exec(f.message);
  if (resource && resource[1] !== f.ctx.account) return foreignResource(f, resource[0], resource[1]);
  return new BedrockHubError('hub-resource',
    `Bedrock in ${f.ctx.region} of ${f.roleAccount} does not know the resource of this call.${f.said}`,
    `Resources resolve in the ${f.ctx.kind} account and region: check that the model, inference profile, guardrail, agent or knowledge ` +
    `base exists in account ${f.ctx.account} and region ${f.ctx.region}, and that the model is offered there.`,
    f.error);
}

/** What a request carried that the diagnosis reads: the model and guardrail. */
export function callDetailsOf(operation: string, input: unknown): BedrockCallDetails {
  const i = (typeof input === 'object' && input !== null ? input : {}) as Record<string, any>;
  const modelCall = /^(Converse|ConverseStream|InvokeModel|InvokeModelWithResponseStream)$/.test(operation);
  const guardrail = i.guardrailConfig ?? (i.guardrailIdentifier !== undefined ? i : undefined);
  return {
    operation,
    ...(typeof i.modelId === 'string' ? { modelId: i.modelId } : {}),
    ...(guardrail && typeof guardrail.guardrailIdentifier === 'string'
      ? { guardrailIdentifier: guardrail.guardrailIdentifier, ...(typeof guardrail.guardrailVersion === 'string' ? { guardrailVersion: guardrail.guardrailVersion } : {}) }
      : modelCall ? { guardrailIdentifier: null } : {}),
  };
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
export function explainErrorsMiddleware(ctx: BedrockCallContext): InitializeMiddleware<object, object> {
  return (next, context: HandlerExecutionContext) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      if (!/^Bedrock/.test(context.clientName ?? '')) throw error;
      throw explainBedrockError(error, ctx, callDetailsOf((context.commandName ?? '').replace(/Command$/, ''), args.input));
    }
  };
}
