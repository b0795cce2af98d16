/**
 * Recipes that keep AI frameworks and OpenAI-compatible clients on the hub role, whatever the
 * function's environment says (`AWS_BEARER_TOKEN_BEDROCK`, no region). One file per kind of client;
 * docs/frameworks.md has the recipe for each framework.
 */
export { aiSdkBedrockSettings } from './ai-sdk';
export type { AiSdkBedrockSettings } from './ai-sdk';
export { anthropicBedrockOptions } from './anthropic';
export type { AnthropicBedrockOptions } from './anthropic';
export { bedrockEndpoint, configuredEndpoint } from './endpoints';
export type { BedrockEndpointName } from './endpoints';
export { explainFrameworkError } from './errors';
export { openAiBedrockMantleOptions, openAiBedrockRuntimeOptions } from './openai';
export type { OpenAiBedrockMantleOptions, OpenAiBedrockRuntimeOptions } from './openai';
export { hubClientConfig } from './sdk-client-config';
export type { HubClientConfig } from './sdk-client-config';
