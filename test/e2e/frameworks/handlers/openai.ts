/** The OpenAI SDK (`openai`) on Bedrock's OpenAI-compatible endpoints, on the hub. */
import OpenAI, { BedrockOpenAI } from 'openai';
import { bedrock } from 'openai/providers/bedrock/aws';
import { getBedrockHubSession, openAiBedrockMantleOptions, openAiBedrockRuntimeOptions } from '../../../../lambda-shim';
import { collect, frameworkHandler, OPENAI_MODEL_ID } from '../harness';

const hub = getBedrockHubSession();
// The recipes: bedrock-runtime's OpenAI-compatible API through the hub's signing fetch, and
// bedrock-mantle through the SDK's own SigV4 provider on the hub's credentials.
const clients: Record<string, () => OpenAI> = {
  'hub/runtime': () => new OpenAI(openAiBedrockRuntimeOptions(hub)),
  'hub/mantle': () => new OpenAI({ provider: bedrock(openAiBedrockMantleOptions(hub)) }),
  // What a user finds first: the Bedrock client of the SDK, which only takes API keys.
  'naive/runtime': () => new BedrockOpenAI({ awsRegion: hub.region, baseURL: `${process.env.AWS_ENDPOINT_URL}/openai/v1` }),
  'naive/mantle': () => new BedrockOpenAI({ awsRegion: hub.region, baseURL: `${process.env.AWS_ENDPOINT_URL}/v1` }),
};

export const handler = frameworkHandler(hub, async (event) => {
  const client = clients[`${event.recipe ?? 'hub'}/${event.endpoint ?? 'runtime'}`]();
  const model = event.endpoint === 'mantle' ? 'openai.gpt-oss-120b' : OPENAI_MODEL_ID;
  const messages = [{ role: 'user' as const, content: event.prompt ?? 'Say hello.' }];
  if (event.stream) {
    const stream = await client.chat.completions.create({ model, messages, stream: true }, { maxRetries: 0 });
    return collect((async function* () {
      for await (const chunk of stream) yield chunk.choices[0]?.delta?.content ?? undefined;
    })());
  }
  const completion = await client.chat.completions.create({ model, messages }, { maxRetries: 0 });
  return { text: completion.choices[0]?.message?.content ?? '' };
});
