/**
 * `bedrock-hub-access/lambda-shim`: call Amazon Bedrock from a workload-account Lambda through a
 * role in the hub account.
 *
 * ```ts
 * import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
 * import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
 * import { getBedrockHubSession } from 'bedrock-hub-access/lambda-shim';
 *
 * const hub = getBedrockHubSession();                  // reads BEDROCK_ASSUME_ROLE_*; cached; in Lambda, starts AssumeRole during INIT
 * const bedrock = hub.client(BedrockRuntimeClient);    // hub credentials, refreshed as needed
 *
 * export const handler = async (event, context) => {
 *   hub.withContext(context);                          // throttled AssumeRole retried until shortly before the timeout
 *   return bedrock.send(new ConverseCommand({ modelId, messages }));
 * };
 *
 * // An ES module handler can keep AssumeRole inside INIT: `await hub.ready();` at top level.
 *
 * // An agent in another account (a role for it in BEDROCK_ASSUME_ROLE_TARGETS):
 * const agents = hub.forResource(agentAliasArn).client(BedrockAgentRuntimeClient);
 * ```
 *
 * Hub clients check Bedrock ids and resource ARNs before sending (a stray quote in an alias id, an
 * application inference profile in the wrong account) and throw `BedrockHubError`s that name the
 * failing layer. The same checks are available as pure functions (`describeBedrockIdProblem`,
 * `describeAccountIdProblem`, `parseBedrockArn`, `describeBedrockArnProblem`), for values read from a
 * registry before they reach a client.
 *
 * With `BEDROCK_ASSUME_ROLE_ARN` absent or empty, `hub.client(C, config)` is `new C(config)`.
 */

export {
  ENV,
  describeAccountIdProblem,
  describeBedrockArnProblem,
  describeBedrockIdProblem,
  parseBedrockArn,
} from '../src/contract';
export type { BedrockArnParts, BedrockIdKind } from '../src/contract';
export type { Clock } from './clock';
export { BedrockHubError } from './errors';
export type { BedrockHubErrorLayer } from './errors';
export { resetBedrockHubSessions } from './process-caches';
export { getBedrockHubSession } from './session';
export type { BedrockHubIdentity, BedrockHubSession, BedrockHubSessionOptions, SdkClient } from './session';
export { bearerRefusingFetch, hubFetch } from './signed-fetch';
export type { FetchFunction, HubFetchOptions } from './signed-fetch';
export {
  aiSdkBedrockSettings,
  anthropicBedrockOptions,
  explainFrameworkError,
  hubClientConfig,
  openAiBedrockMantleOptions,
  openAiBedrockRuntimeOptions,
} from './frameworks';
export type {
  AiSdkBedrockSettings,
  AnthropicBedrockOptions,
  HubClientConfig,
  OpenAiBedrockMantleOptions,
  OpenAiBedrockRuntimeOptions,
} from './frameworks';
export type { RemainingTime } from './sts-backoff';
