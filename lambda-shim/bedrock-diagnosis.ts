/**
 * The Bedrock diagnosis: what an error from a Bedrock call made with hub (or target) role
 * credentials means, and the middleware that applies it to every call of a hub client.
 *
 * {@link explainBedrockError} is a pure function of the error and the {@link BedrockCallContext}:
 * a call not made as the role at all, a resource in another account, model access not enabled,
 * a missing Bedrock permission, a resource unknown in the role's account and region.
 */

import type { AbsoluteLocation, HandlerExecutionContext, InitializeHandlerOptions, InitializeMiddleware } from '@smithy/types';
import type { RoleToAssume } from './config';
import { BedrockHubError } from './errors';
import { errorCode, errorMessage, withServiceMetadata } from './sdk-errors';

/**
 * What a Bedrock call is explained (and checked) against: the role the client signs as (hub role
 * or target role) and the region it calls.
 */
export interface BedrockCallContext extends Pick<RoleToAssume, 'kind' | 'roleArn' | 'account'> {
  /** The region the Bedrock client calls. */
  readonly region: string;
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
export function explainBedrockError(error: unknown, ctx: BedrockCallContext): unknown {
  if (error instanceof BedrockHubError) return error;
  const explained = explain(error, ctx);
  return explained === error ? error : withServiceMetadata(explained as BedrockHubError, error);
}

function explain(error: unknown, ctx: BedrockCallContext): unknown {
  const who = ctx.kind;
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
export function explainErrorsMiddleware(ctx: BedrockCallContext): InitializeMiddleware<object, object> {
  return (next, context: HandlerExecutionContext) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      throw /^Bedrock/.test(context.clientName ?? '') ? explainBedrockError(error, ctx) : error;
    }
  };
}
