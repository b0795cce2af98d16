/** LlamaIndex.TS (`@llamaindex/aws`) on the hub. */
import { Bedrock } from '@llamaindex/aws';
import { getBedrockHubSession, hubClientConfig } from '../../../../lambda-shim';
import { collect, frameworkHandler, MODEL_ID } from '../harness';

const hub = getBedrockHubSession();
// The recipe: the hub's client configuration (region, credentials, SigV4 only).
const llm = new Bedrock({ model: MODEL_ID, ...hubClientConfig(hub) });
// What the issue tried: the credential provider alone (the API key still wins when set).
const naive = new Bedrock({ model: MODEL_ID, region: hub.region, credentials: hub.credentials });

// The recipe with bearer auth put first again: the shim's token provider refuses.
const overridden = new Bedrock({ model: MODEL_ID, ...hubClientConfig(hub), authSchemePreference: ['httpBearerAuth'] });

export const handler = frameworkHandler(hub, async (event) => {
  const model = event.recipe === 'naive' ? naive : event.recipe === 'override' ? overridden : llm;
  const messages = [{ role: 'user' as const, content: event.prompt ?? 'Say hello.' }];
  if (event.stream) {
    const stream = await model.chat({ messages, stream: true });
    return collect((async function* () {
      for await (const chunk of stream) yield chunk.delta;
    })());
  }
  const answer = await model.chat({ messages });
  return { text: String(answer.message.content) };
});
