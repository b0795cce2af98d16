/**
 * The shim handler with other INIT work, as `plain-init-work.ts`: the session and client are
 * obtained at module scope (where a prefetch of AssumeRole would start), then `BENCH_INIT_WORK_MS`
 * milliseconds of I/O wait, exposed as `ready`. Run as a process by `cold-start-init.ts`.
 */
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { getBedrockHubSession } from '../../lambda-shim';
import type { RemainingTime } from '../../lambda-shim';

const hub = getBedrockHubSession();
const bedrock = hub.client(BedrockRuntimeClient);

export const ready: Promise<void> = new Promise((resolve) => setTimeout(resolve, Number(process.env.BENCH_INIT_WORK_MS ?? 0)));

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
