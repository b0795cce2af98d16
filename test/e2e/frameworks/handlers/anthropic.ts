/** Anthropic's Bedrock SDK (`@anthropic-ai/bedrock-sdk`) on the hub. */
import AnthropicBedrock from '@anthropic-ai/bedrock-sdk';
import { anthropicBedrockOptions, getBedrockHubSession } from '../../../../lambda-shim';
import { collect, frameworkHandler, MODEL_ID } from '../harness';

const hub = getBedrockHubSession();
// The recipe.
const claude = new AnthropicBedrock(anthropicBedrockOptions(hub));
// What the issue tried: the credential provider alone (the API key still wins when set).
const naive = new AnthropicBedrock({
  awsRegion: hub.region,
  providerChainResolver: async () => hub.credentials!,
  baseURL: process.env.AWS_ENDPOINT_URL,
});

// The recipe with the API key put back on top: the shim's fetch refuses to send it.
const overridden = new AnthropicBedrock({ ...anthropicBedrockOptions(hub), apiKey: process.env.AWS_BEARER_TOKEN_BEDROCK });

export const handler = frameworkHandler(hub, async (event) => {
  const client = event.recipe === 'naive' ? naive : event.recipe === 'override' ? overridden : claude;
  const request = { model: MODEL_ID, max_tokens: 256, messages: [{ role: 'user' as const, content: event.prompt ?? 'Say hello.' }] };
  if (event.stream) {
    const stream = client.messages.stream(request, { maxRetries: 0 });
    return collect((async function* () {
      for await (const streamed of stream) {
        if (streamed.type === 'content_block_delta' && streamed.delta.type === 'text_delta') yield streamed.delta.text;
      }
    })());
  }
  const message = await client.messages.create(request, { maxRetries: 0 });
  return { text: message.content.map((block) => (block.type === 'text' ? block.text : '')).join('') };
});
