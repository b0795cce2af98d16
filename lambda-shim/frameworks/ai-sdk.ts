/**
 * The Vercel AI SDK's Amazon Bedrock providers (`@ai-sdk/amazon-bedrock`: `createAmazonBedrock`,
 * and `createBedrockMantle` from `@ai-sdk/amazon-bedrock/mantle`). Mastra builds on them.
 *
 * The providers sign with aws4fetch and call `credentialProvider` before every request, but take
 * the API-key path whenever `apiKey` or `AWS_BEARER_TOKEN_BEDROCK` is set, credentials or not. An
 * empty `apiKey` is the documented way to turn that off (an explicit setting wins over the
 * variable, and an empty key means SigV4).
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import { configuredEndpoint } from './endpoints';
import type { BedrockHubSession } from '../session';
import { bearerRefusingFetch, FetchFunction } from '../signed-fetch';

/** Settings for `createAmazonBedrock(…)` / `createBedrockMantle(…)`. */
export interface AiSdkBedrockSettings {
  readonly region?: string;
  /** `''`: never the API key of `AWS_BEARER_TOKEN_BEDROCK`. */
  readonly apiKey?: string;
  readonly credentialProvider?: () => PromiseLike<Omit<AwsCredentialIdentity, 'expiration'>>;
  readonly baseURL?: string;
  readonly fetch?: FetchFunction;
}

/**
 * Settings that keep the AI SDK's Bedrock provider on the hub role: the session's region, its
 * credential provider (called per request, cheap: see bench/framework-credentials.ts), the API-key
 * path off, and a `fetch` that throws instead of sending a bearer token should a future release
 * take that path anyway. The endpoint follows `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` /
 * `AWS_ENDPOINT_URL` (the AI SDK reads neither for mantle, nor the latter for runtime). Hub mode
 * off: only the endpoint (the provider's defaults otherwise).
 *
 * @param service which provider the settings are for @default 'bedrock-runtime'
 * @example
 * const bedrock = createAmazonBedrock(aiSdkBedrockSettings(hub));
 * const { text } = await generateText({ model: bedrock('us.anthropic.claude-3-5-haiku-20241022-v1:0'), prompt });
 */
export function aiSdkBedrockSettings(hub: BedrockHubSession, service: 'bedrock-runtime' | 'bedrock-mantle' = 'bedrock-runtime'): AiSdkBedrockSettings {
  const endpoint = configuredEndpoint(service);
  const baseURL = endpoint === undefined ? undefined : service === 'bedrock-mantle' ? `${endpoint}/v1` : endpoint;
  if (!hub.enabled) return baseURL === undefined ? {} : { baseURL };
  const credentials = hub.credentials!;
  return {
    region: hub.region,
    apiKey: '',
    credentialProvider: () => credentials(),
    ...(baseURL === undefined ? {} : { baseURL }),
    fetch: bearerRefusingFetch(),
  };
}
