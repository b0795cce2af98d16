/** The Vercel AI SDK (`ai` + `@ai-sdk/amazon-bedrock`) on the hub: bedrock-runtime (Converse) and bedrock-mantle. */
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
// The subpath is exported for `import` only, which eslint-plugin-import's node resolver does not read.
// eslint-disable-next-line import/no-unresolved
import { createBedrockMantle } from '@ai-sdk/amazon-bedrock/mantle';
import { generateText, LanguageModel, streamText } from 'ai';
import { aiSdkBedrockSettings, getBedrockHubSession } from '../../../../lambda-shim';
import { collect, frameworkHandler, MODEL_ID } from '../harness';

const hub = getBedrockHubSession();
// The recipes.
const bedrock = createAmazonBedrock(aiSdkBedrockSettings(hub));
const mantle = createBedrockMantle(aiSdkBedrockSettings(hub, 'bedrock-mantle'));
// What the issue tried: the credential provider alone (the API key still wins when set).
const naive = createAmazonBedrock({ region: hub.region, credentialProvider: hub.credentials, baseURL: process.env.AWS_ENDPOINT_URL });
// The recipe with the API key put back on top: the shim's fetch refuses to send it.
const overridden = createAmazonBedrock({ ...aiSdkBedrockSettings(hub), apiKey: process.env.AWS_BEARER_TOKEN_BEDROCK });
const naiveMantle = createBedrockMantle({ region: hub.region, credentialProvider: hub.credentials, baseURL: `${process.env.AWS_ENDPOINT_URL}/v1` });

function modelFor(recipe: string | undefined, endpoint: string | undefined): LanguageModel {
  if (endpoint === 'mantle') return (recipe === 'naive' ? naiveMantle : mantle)('openai.gpt-oss-120b');
  return (recipe === 'naive' ? naive : recipe === 'override' ? overridden : bedrock)(MODEL_ID);
}

export const handler = frameworkHandler(hub, async (event) => {
  const model = modelFor(event.recipe, event.endpoint);
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
