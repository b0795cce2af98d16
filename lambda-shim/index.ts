/**
 * `bedrock-hub-access/lambda-shim`: call Amazon Bedrock from a workload-account Lambda through a
 * role in the hub account.
 *
 * ```ts
 * import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
 * import { getBedrockHubSession } from 'bedrock-hub-access/lambda-shim';
 *
 * const hub = getBedrockHubSession();                  // reads BEDROCK_ASSUME_ROLE_*; cached
 * const bedrock = hub.client(BedrockRuntimeClient);    // hub credentials, refreshed as needed
 * ```
 *
 * With `BEDROCK_ASSUME_ROLE_ARN` absent or empty, `hub.client(C, config)` is `new C(config)`.
 */

export { ENV } from '../src/contract';
export type { Clock } from './clock';
export { BedrockHubError } from './errors';
export type { BedrockHubErrorLayer } from './errors';
export { getBedrockHubSession, resetBedrockHubSessions } from './session';
export type { BedrockHubIdentity, BedrockHubSession, BedrockHubSessionOptions, SdkClient } from './session';
