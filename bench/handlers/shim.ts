/**
 * The same handler with the shim: one import, one session, the client from the session. Bundled by
 * `bundle-size.ts` and run as a process by `cold-start.ts`.
 */
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { getBedrockHubSession } from '../../lambda-shim';
import type { RemainingTime } from '../../lambda-shim';

const hub = getBedrockHubSession();
const bedrock = hub.client(BedrockRuntimeClient);

export async function handler(event: { readonly prompt?: string }, context?: RemainingTime): Promise<{ text?: string }> {
  hub.withContext(context);
  try {
    const output = await bedrock.send(new ConverseCommand({
      modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      messages: [{ role: 'user', content: [{ text: event.prompt ?? 'Hello' }] }],
    }));
    return { text: output.output?.message?.content?.[0]?.text };
  } catch (error) {
    throw hub.explainError(error);
  }
}
