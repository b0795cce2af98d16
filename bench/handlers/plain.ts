/**
 * The baseline handler: Bedrock with the function's own credentials, no hub. Bundled by
 * `bundle-size.ts` and run as a process by `cold-start.ts`.
 */
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';

const bedrock = new BedrockRuntimeClient({});

export async function handler(event: { readonly prompt?: string }): Promise<{ text?: string }> {
  const output = await bedrock.send(new ConverseCommand({
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    messages: [{ role: 'user', content: [{ text: event.prompt ?? 'Hello' }] }],
  }));
  return { text: output.output?.message?.content?.[0]?.text };
}
