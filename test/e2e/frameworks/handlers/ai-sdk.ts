/** The Vercel AI SDK (`ai` + `@ai-sdk/amazon-bedrock`) on the hub. */
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { generateText, streamText } from 'ai';
import { aiSdkBedrockSettings, getBedrockHubSession } from '../../../../lambda-shim';
import { collect, frameworkHandler, MODEL_ID } from '../harness';

const hub = getBedrockHubSession();
// The recipe.
const bedrock = createAmazonBedrock(aiSdkBedrockSettings(hub));
// What the issue tried: the credential provider alone (the API key still wins when set).
const naive = createAmazonBedrock({ region: hub.region, credentialProvider: hub.credentials, baseURL: process.env.AWS_ENDPOINT_URL });

export const handler = frameworkHandler(hub, async (event) => {
  const model = (event.recipe === 'naive' ? naive : bedrock)(MODEL_ID);
  const prompt = event.prompt ?? 'Say hello.';
  if (event.stream) {
    let failure: unknown;
    const result = streamText({ model, prompt, maxRetries: 0, onError: ({ error }) => { failure = error; } });
    const collected = await collect(result.textStream);
    if (failure) throw failure;
    return collected;
  }
  const { text } = await generateText({ model, prompt, maxRetries: 0 });
  return { text };
});
