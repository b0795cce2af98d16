/**
 * The endpoint a framework that builds its own URLs should call, from the AWS SDKs' standard
 * endpoint settings: the service-specific `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html). AWS SDK clients read
 * these themselves; the Vercel AI SDK, the Anthropic and the OpenAI SDKs do not, so a function
 * pointed at a VPC endpoint or a local emulator would otherwise call the public one.
 */

/** The service-specific variable's suffix, per Bedrock endpoint. */
const SERVICE_VARIABLE = {
  'bedrock-runtime': 'AWS_ENDPOINT_URL_BEDROCK_RUNTIME',
  'bedrock-mantle': 'AWS_ENDPOINT_URL_BEDROCK_MANTLE',
} as const;

/** A Bedrock endpoint that frameworks call over plain HTTP. */
export type BedrockEndpointName = keyof typeof SERVICE_VARIABLE;

/**
 * The configured endpoint URL (without a trailing `/`), or `undefined` when none is configured and
 * the framework's own default (`https://bedrock-runtime.<region>.amazonaws.com`,
 * `https://bedrock-mantle.<region>.api.aws`) applies.
 */
export function configuredEndpoint(
  service: BedrockEndpointName,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const value = (env[SERVICE_VARIABLE[service]] ?? env.AWS_ENDPOINT_URL ?? '').trim();
  return value === '' ? undefined : value.replace(/\/+$/, '');
}

/** The endpoint URL: the configured one, else the public regional endpoint. */
export function bedrockEndpoint(service: BedrockEndpointName, region: string): string {
  return configuredEndpoint(service) ?? (service === 'bedrock-runtime'
    ? `https://bedrock-runtime.${region}.amazonaws.com`
    : `https://bedrock-mantle.${region}.api.aws`);
}
