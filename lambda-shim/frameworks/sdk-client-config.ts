/**
 * For frameworks that build their own `BedrockRuntimeClient` from a configuration object and take
 * no client: Strands Agents (`new BedrockModel({ clientConfig })`), LlamaIndex
 * (`new Bedrock({ model, ...config })`).
 */
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { BEARER_TOKEN_VARIABLE } from '../bearer-warning';
import { BedrockHubError } from '../errors';
import type { BedrockHubSession } from '../session';

/** What {@link hubClientConfig} returns: spread it into the client configuration. */
export interface HubClientConfig {
  readonly region?: string;
  readonly credentials?: AwsCredentialIdentityProvider;
  /** `['sigv4']`: never the bearer scheme `AWS_BEARER_TOKEN_BEDROCK` would make the SDK prefer. */
  readonly authSchemePreference?: string[];
  /** A token provider that refuses: bearer auth is never a way around the hub. */
  readonly token?: () => Promise<never>;
}

async function refuseBearerToken(): Promise<never> {
  throw new BedrockHubError('configuration',
    'A Bedrock client configured with hubClientConfig() was asked for a bearer token; it only signs with SigV4 and the hub credentials.',
    `Remove ${BEARER_TOKEN_VARIABLE} / AWS_AUTH_SCHEME_PREFERENCE from the function, and do not set authSchemePreference or token after hubClientConfig().`);
}

/**
 * AWS SDK client configuration that signs with the hub role: the session's region and credential
 * provider, SigV4 only (an AWS SDK client that sees `AWS_BEARER_TOKEN_BEDROCK` otherwise prefers
 * the bearer scheme over the credentials it was given), and a bearer-token provider that refuses.
 * Hub mode off: `{}` (the framework's defaults, as without the shim).
 *
 * Pass the provider itself (this does): a framework that resolved credentials once would keep them
 * past their expiry. Unlike `hub.client()`, the framework's client does not explain errors:
 * pass what it throws to {@link explainFrameworkError}.
 *
 * @example
 * const model = new BedrockModel({ modelId, region: hub.region, clientConfig: hubClientConfig(hub) });
 */
export function hubClientConfig(hub: BedrockHubSession): HubClientConfig {
  if (!hub.enabled) return {};
  return {
    region: hub.region,
    credentials: hub.credentials,
    authSchemePreference: ['sigv4'],
    token: refuseBearerToken,
  };
}
