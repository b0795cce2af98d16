/**
 * Anthropic's Bedrock SDK (`@anthropic-ai/bedrock-sdk`: `new AnthropicBedrock(options)`).
 *
 * It signs with SigV4 on the credentials of `providerChainResolver`, but uses an API key instead
 * when `apiKey` or `AWS_BEARER_TOKEN_BEDROCK` is set; `apiKey: null` turns that off (it is not read
 * from the environment then). Its region defaults to `AWS_REGION`, then `us-east-1`; its endpoint
 * to `ANTHROPIC_BEDROCK_BASE_URL`, then the public bedrock-runtime endpoint of that region.
 */
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { configuredEndpoint } from './endpoints';
import type { BedrockHubSession } from '../session';
import { bearerRefusingFetch, FetchFunction } from '../signed-fetch';

/** Options for `new AnthropicBedrock(…)`. */
export interface AnthropicBedrockOptions {
  readonly awsRegion?: string;
  /** `null`: never the API key of `AWS_BEARER_TOKEN_BEDROCK`. */
  readonly apiKey?: null;
  /** Resolves to the hub's credential provider, which the SDK calls per request. */
  readonly providerChainResolver?: () => Promise<AwsCredentialIdentityProvider>;
  readonly baseURL?: string;
  readonly fetch?: FetchFunction;
}

/**
 * Options that keep `AnthropicBedrock` on the hub role: the session's region (not `us-east-1` by
 * default), its credential provider, the API-key path off, and a `fetch` that throws rather than
 * send a bearer token. The endpoint follows `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` / `AWS_ENDPOINT_URL`
 * when set. Hub mode off: only the endpoint.
 *
 * @example
 * const claude = new AnthropicBedrock(anthropicBedrockOptions(hub));
 */
export function anthropicBedrockOptions(hub: BedrockHubSession): AnthropicBedrockOptions {
  const baseURL = configuredEndpoint('bedrock-runtime');
  if (!hub.enabled) return baseURL === undefined ? {} : { baseURL };
  const credentials = hub.credentials!;
  return {
    awsRegion: hub.region,
    apiKey: null,
    providerChainResolver: async () => credentials,
    ...(baseURL === undefined ? {} : { baseURL }),
    fetch: bearerRefusingFetch(),
  };
}
