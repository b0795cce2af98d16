// The function of integ.hub-access: one Converse call through the hub role, answering with the
// identity the call was made as, so that the assertion can check the hub was really used.
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { getBedrockHubSession } from '../lambda-shim';

const hub = getBedrockHubSession();
const bedrock = hub.client(BedrockRuntimeClient);

export interface HubAccessReply {
  /** Whether BEDROCK_ASSUME_ROLE_ARN was set, i.e. the construct did its part. */
  readonly hubMode: boolean;
  /** The role the shim assumed. */
  readonly roleArn?: string;
  /** The account the hub credentials belong to. */
  readonly account?: string;
  /** The RoleSessionName the hub's CloudTrail records. */
  readonly sessionName?: string;
  /** Whether the model answered with any text. */
  readonly answered: boolean;
}

export async function handler(): Promise<HubAccessReply> {
  try {
    const response = await bedrock.send(new ConverseCommand({
      modelId: process.env.MODEL_ID,
      messages: [{ role: 'user', content: [{ text: 'Reply with the single word: pong' }] }],
      inferenceConfig: { maxTokens: 10 },
    }));
    const identity = await hub.identity();
    const text = response.output?.message?.content?.map((block) => block.text ?? '').join('') ?? '';
    return {
      hubMode: hub.enabled,
      roleArn: hub.roleArn,
      account: identity?.account,
      sessionName: identity?.sessionName,
      answered: text.trim().length > 0,
    };
  } catch (error) {
    throw hub.explainError(error);
  }
}
