/**
 * OpenAI-compatible clients (the `openai` package) on Bedrock's two OpenAI-compatible endpoints
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/inference-chat-completions.html):
 *
 * - bedrock-mantle (`https://bedrock-mantle.<region>.api.aws/openai/v1`, SigV4 name
 *   `bedrock-mantle`, IAM action `bedrock-mantle:CreateInference`);
 * - bedrock-runtime (`https://bedrock-runtime.<region>.amazonaws.com/openai/v1`, SigV4 name
 *   `bedrock`, IAM action `bedrock:InvokeModel` on the model).
 *
 * A plain `new OpenAI({ apiKey })` sends the key as a bearer token; `BedrockOpenAI` and the
 * `bedrock` provider of `openai/providers/bedrock` read `AWS_BEARER_TOKEN_BEDROCK`. Both recipes
 * here sign with the hub role instead.
 */
import { bedrockEndpoint, configuredEndpoint } from './endpoints';
import { BedrockHubError } from '../errors';
import type { BedrockHubSession } from '../session';
import { FetchFunction, hubFetch } from '../signed-fetch';

/** Options for `new OpenAI(…)` on bedrock-runtime's OpenAI-compatible API. */
export interface OpenAiBedrockRuntimeOptions {
  /** A placeholder: the client requires one; {@link hubFetch} replaces it with the signature. */
  readonly apiKey: string;
  readonly baseURL: string;
  readonly fetch: FetchFunction;
}

function requireRegion(hub: BedrockHubSession, recipe: string): string {
  if (!hub.region) {
    throw new BedrockHubError('configuration', `${recipe}: no region is known for the Bedrock endpoint.`,
      'Set AWS_REGION (Lambda sets it) or pass region to getBedrockHubSession().');
  }
  return hub.region;
}

/**
 * `new OpenAI(openAiBedrockRuntimeOptions(hub))`: chat completions on bedrock-runtime's
 * OpenAI-compatible API, every request signed by {@link hubFetch} (the hub role's credentials; with
 * hub mode off, the function's own). The placeholder API key is never sent.
 *
 * @throws BedrockHubError of layer `configuration` when no region is known
 */
export function openAiBedrockRuntimeOptions(hub: BedrockHubSession): OpenAiBedrockRuntimeOptions {
  const region = requireRegion(hub, 'openAiBedrockRuntimeOptions');
  return {
    apiKey: 'sigv4-signed-by-bedrock-hub-access',
    baseURL: `${bedrockEndpoint('bedrock-runtime', region)}/openai/v1`,
    fetch: hubFetch(hub, { service: 'bedrock', region }),
  };
}

/** Options for the `bedrock` provider of `openai/providers/bedrock/aws` (bedrock-mantle). */
export interface OpenAiBedrockMantleOptions {
  readonly region?: string;
  readonly credentialProvider?: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }>;
  readonly baseURL?: string;
}

/**
 * `new OpenAI({ provider: bedrock(openAiBedrockMantleOptions(hub)) })` with `bedrock` from
 * `openai/providers/bedrock/aws`: SigV4 on the hub's credential provider. An explicit credential
 * provider is the SDK's own switch away from `AWS_BEARER_TOKEN_BEDROCK` (it then never reads the
 * variable). The endpoint follows `AWS_ENDPOINT_URL_BEDROCK_MANTLE` / `AWS_ENDPOINT_URL` when set.
 * Hub mode off: the region and endpoint only (the provider's default credential chain).
 */
export function openAiBedrockMantleOptions(hub: BedrockHubSession): OpenAiBedrockMantleOptions {
  const endpoint = configuredEndpoint('bedrock-mantle');
  const baseURL = endpoint === undefined ? {} : { baseURL: `${endpoint}/openai/v1` };
  if (!hub.enabled) return { region: hub.region, ...baseURL };
  const credentials = hub.credentials!;
  return { region: requireRegion(hub, 'openAiBedrockMantleOptions'), credentialProvider: () => credentials(), ...baseURL };
}
