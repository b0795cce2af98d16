/** Strands Agents (`@strands-agents/sdk`) on the hub. */
import { Agent, BedrockModel } from '@strands-agents/sdk';
import { getBedrockHubSession, hubClientConfig } from '../../../../lambda-shim';
import { frameworkHandler, MODEL_ID } from '../harness';

const hub = getBedrockHubSession();
// The recipe: the hub's client configuration (region, credentials, SigV4 only).
const model = new BedrockModel({ modelId: MODEL_ID, region: hub.region, clientConfig: hubClientConfig(hub) });
// What the issue tried: the credential provider alone (the API key still wins when set).
const naive = new BedrockModel({ modelId: MODEL_ID, clientConfig: { credentials: hub.credentials } });

// The recipe with bearer auth put first again: the shim's token provider refuses.
const overridden = new BedrockModel({ modelId: MODEL_ID, region: hub.region, clientConfig: { ...hubClientConfig(hub), authSchemePreference: ['httpBearerAuth'] } });

export const handler = frameworkHandler(hub, async (event) => {
  const agent = new Agent({ model: event.recipe === 'naive' ? naive : event.recipe === 'override' ? overridden : model, printer: false });
  let text = '';
  let chunks = 0;
  for await (const streamed of agent.stream(event.prompt ?? 'Say hello.')) {
    const delta = (streamed as { type?: string; event?: { type?: string; delta?: { type?: string; text?: string } } });
    if (delta.type === 'modelStreamUpdateEvent' && delta.event?.type === 'modelContentBlockDeltaEvent' && delta.event.delta?.type === 'textDelta') {
      text += delta.event.delta.text ?? '';
      chunks++;
    }
  }
  return { text, chunks };
});
