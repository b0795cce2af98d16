/** LangChain.js (`@langchain/aws`) on the hub. */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ChatBedrockConverse } from '@langchain/aws';
import { getBedrockHubSession } from '../../../../lambda-shim';
import { collect, frameworkHandler, MODEL_ID } from '../harness';

const hub = getBedrockHubSession();
// The recipe: a client built by the hub.
const chat = new ChatBedrockConverse({ model: MODEL_ID, region: hub.region, client: hub.client(BedrockRuntimeClient), maxRetries: 0 });
// What the issue tried: the credential provider alone (the API key still wins when set).
const naive = new ChatBedrockConverse({ model: MODEL_ID, region: hub.region, credentials: hub.credentials, maxRetries: 0 });

export const handler = frameworkHandler(hub, async (event) => {
  const model = event.recipe === 'naive' ? naive : chat;
  const prompt = event.prompt ?? 'Say hello.';
  if (event.stream) {
    const stream = await model.stream(prompt);
    return collect((async function* () {
      for await (const chunk of stream) yield typeof chunk.content === 'string' ? chunk.content : '';
    })());
  }
  const answer = await model.invoke(prompt);
  return { text: typeof answer.content === 'string' ? answer.content : JSON.stringify(answer.content) };
});
