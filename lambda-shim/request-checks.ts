/**
 * Checks made before a Bedrock call leaves the process, on the command's input:
 *
 * - identifiers are well-formed: an agent alias id with a stray quote (`"IO1GTTHP0M\""`) or a
 *   knowledge base id with a trailing newline is named, not sent to AWS;
 * - resource ARNs are in the account of the role the client signs as: an application inference
 *   profile, guardrail or prompt in the workload account fails here with the fix, not in Bedrock
 *   with an AccessDenied that does not say why.
 *
 * Patterns and their texts are the shared contract's (`src/contract/bedrock-resources.ts`); the constructs check the
 * same things at synth. The middleware runs in the initialize step, before credentials are resolved:
 * a request refused here costs no network call at all, not even AssumeRole.
 */

import type { AbsoluteLocation, HandlerExecutionContext, InitializeHandlerOptions, InitializeMiddleware } from '@smithy/types';
import type { BedrockCallContext } from './bedrock-diagnosis';
import { BedrockHubError } from './errors';
import { ENV, describeBedrockIdProblem, parseBedrockArn } from '../src/contract';
import type { BedrockArnParts, BedrockIdKind } from '../src/contract';

/** One identifier of a request: its path in the input, its kind, its value. */
export type RequestField = readonly [name: string, kind: BedrockIdKind, value: unknown];

type Input = Record<string, any>;

function guardrail(prefix: string, config: Input | undefined, idKey: 'guardrailIdentifier' | 'guardrailId'): RequestField[] {
  const at = prefix === '' ? '' : `${prefix}.`;
  return config ? [[`${at}${idKey}`, idKey, config[idKey]], [`${at}guardrailVersion`, 'guardrailVersion', config.guardrailVersion]] : [];
}

const model = (i: Input): RequestField[] => [['modelId', 'modelId', i.modelId]];
const converse = (i: Input): RequestField[] => [...model(i), ...guardrail('guardrailConfig', i.guardrailConfig, 'guardrailIdentifier')];
const invokeModel = (i: Input): RequestField[] => [...model(i), ...guardrail('', i, 'guardrailIdentifier')];

function retrieveAndGenerate(i: Input): RequestField[] {
  const config = i.retrieveAndGenerateConfiguration ?? {};
  const kb = config.knowledgeBaseConfiguration;
  const at = 'retrieveAndGenerateConfiguration.knowledgeBaseConfiguration';
  return [
    [`${at}.knowledgeBaseId`, 'knowledgeBaseId', kb?.knowledgeBaseId],
    [`${at}.modelArn`, 'modelId', kb?.modelArn],
    ...guardrail(`${at}.generationConfiguration.guardrailConfiguration`, kb?.generationConfiguration?.guardrailConfiguration, 'guardrailId'),
    ['retrieveAndGenerateConfiguration.externalSourcesConfiguration.modelArn', 'modelId', config.externalSourcesConfiguration?.modelArn],
  ];
}

/**
 * The identifiers of the Bedrock operations the shim checks, by operation name. Operations not
 * listed are sent unchecked.
 */
export const REQUEST_FIELDS: Readonly<Record<string, (input: Input) => RequestField[]>> = {
  // bedrock-runtime
  Converse: converse,
  ConverseStream: converse,
  CountTokens: model,
  InvokeModel: invokeModel,
  InvokeModelWithResponseStream: invokeModel,
  InvokeModelWithBidirectionalStream: model,
  ApplyGuardrail: (i) => guardrail('', i, 'guardrailIdentifier'),
  // bedrock-agent-runtime
  InvokeAgent: (i) => [['agentId', 'agentId', i.agentId], ['agentAliasId', 'agentAliasId', i.agentAliasId]],
  Retrieve: (i) => [['knowledgeBaseId', 'knowledgeBaseId', i.knowledgeBaseId], ...guardrail('guardrailConfiguration', i.guardrailConfiguration, 'guardrailId')],
  RetrieveAndGenerate: retrieveAndGenerate,
  RetrieveAndGenerateStream: retrieveAndGenerate,
  // bedrock (control plane)
  GetInferenceProfile: (i) => [['inferenceProfileIdentifier', 'inferenceProfileIdentifier', i.inferenceProfileIdentifier]],
  GetGuardrail: (i) => guardrail('', i, 'guardrailIdentifier'),
};

/** Who a client signs as, where it calls, and which other accounts have a role. */
export interface RequestCheckContext extends BedrockCallContext {
  /** The role configured for `account`, if any. */
  readonly roleFor: (account: string) => string | undefined;
}

/**
 * The first problem with the identifiers of a request, as a `BedrockHubError` (layer
 * `invalid-identifier` or `resource-account`); `undefined` when there is none or the operation is
 * not one the shim knows.
 *
 * @param operation the operation name (`Converse`, `InvokeAgent`, …)
 * @param input the command's input
 */
export function checkBedrockRequest(operation: string, input: unknown, ctx: RequestCheckContext): BedrockHubError | undefined {
  const fields = REQUEST_FIELDS[operation];
  if (!fields || typeof input !== 'object' || input === null) return undefined;
  for (const [name, kind, value] of fields(input as Input)) {
    if (typeof value !== 'string') continue;
    const problem = describeBedrockIdProblem(kind, value);
    if (problem) {
      return new BedrockHubError('invalid-identifier', `${operation}: ${name} ${problem}`,
        'Nothing was sent. Fix the value where it comes from (a registry, a variable, a parameter): ids are stored without quotes or whitespace.');
    }
    const arn = value.startsWith('arn:') ? parseBedrockArn(value) : undefined;
    if (arn?.account && arn.account !== ctx.account) return resourceAccountError(operation, name, value, arn, ctx);
  }
  return undefined;
}

function resourceAccountError(operation: string, name: string, value: string, arn: BedrockArnParts, ctx: RequestCheckContext): BedrockHubError {
  const who = `${ctx.kind} role`;
  const type = arn.resourceType;
  const other = ctx.roleFor(arn.account);
  let hint: string;
  if (other) {
    hint = `Make this call with a client built from hub.forResource('${value}'), which signs as ${other} in account ${arn.account}.`;
  } else if (/^(agent|agent-alias|knowledge-base|flow)$/.test(type)) {
    hint = `Add a target role for account ${arn.account} to ${ENV.TARGETS} ({"roleArn":"arn:${arn.partition}:iam::${arn.account}:role/<name>"}), ` +
      'then make the call with a client built from hub.forResource(arn).';
  } else if (type === 'inference-profile') {
    hint = `Use the profile id ${arn.resourceId} instead of this ARN: system-defined inference profiles resolve in every account.`;
  } else {
    hint = `Move it to account ${ctx.account} (the ${who}'s, in ${ctx.region}) and use that ARN` +
      (type === 'guardrail' ? '.' : ', or use a system-defined cross-region inference profile (us., eu., global., …).');
  }
  return new BedrockHubError('resource-account',
    `${operation}: ${name} is the ${type} ${value} in account ${arn.account}, but this client signs as the ${who} ${ctx.roleArn} ` +
    `in account ${ctx.account}, where that ${type} cannot be used. Nothing was sent.`,
    hint);
}

/** Options of the check middleware: initialize step, before credentials are resolved. */
export const requestCheckMiddlewareOptions: InitializeHandlerOptions & AbsoluteLocation = {
  step: 'initialize',
  priority: 'high',
  name: 'bedrockHubRequestCheckMiddleware',
  tags: ['BEDROCK_HUB_ACCESS'],
  override: true,
};

/** Runs {@link checkBedrockRequest} on every call of a Bedrock client (`clientName` starting with `Bedrock`). */
export function requestCheckMiddleware(ctx: RequestCheckContext): InitializeMiddleware<object, object> {
  return (next, context: HandlerExecutionContext) => async (args) => {
    const error = /^Bedrock/.test(context.clientName ?? '')
      ? checkBedrockRequest((context.commandName ?? '').replace(/Command$/, ''), args.input, ctx)
      : undefined;
    if (error) throw error;
    return next(args);
  };
}
