/**
 * The plain handler (no hub) with other INIT work: `BENCH_INIT_WORK_MS` milliseconds of waiting on
 * I/O at module scope (standing in for loading configuration or secrets), exposed as `ready`, which
 * the runner awaits before the first invocation as Lambda awaits an ES module's top-level await.
 * Run as a process by `cold-start-init.ts`.
 */
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';

const bedrock = new BedrockRuntimeClient({});

export const ready: Promise<void> = new Promise((resolve) => setTimeout(resolve, Number(process.env.BENCH_INIT_WORK_MS ?? 0)));

export async function handler(event: { readonly prompt?: string }): Promise<{ text?: string }> {
  const output = await bedrock.send(new ConverseCommand({
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    messages: [{ role: 'user', content: [{ text: event.prompt ?? 'Hello' }] }],
  }));
  return { text: output.output?.message?.content?.[0]?.text };
}
