/**
 * The hub the way teams hand-roll it: one AssumeRole provider for the module's client, memoized by
 * the SDK, with none of the shim's refresh windows, checks or explained errors. Bundled by
 * `bundle-size.ts` and run as a process by `cold-start.ts`.
 */
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

const sts = new STSClient({});

const bedrock = new BedrockRuntimeClient({
  credentials: async () => {
    const { Credentials } = await sts.send(new AssumeRoleCommand({
      RoleArn: process.env.BEDROCK_ASSUME_ROLE_ARN,
      RoleSessionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bedrock-hub',
      ExternalId: process.env.BEDROCK_ASSUME_ROLE_EXTERNAL_ID,
    }));
    if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
    return {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretAccessKey,
      sessionToken: Credentials.SessionToken,
      expiration: Credentials.Expiration,
    };
  },
});

export async function handler(event: { readonly prompt?: string }): Promise<{ text?: string }> {
  const output = await bedrock.send(new ConverseCommand({
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    messages: [{ role: 'user', content: [{ text: event.prompt ?? 'Hello' }] }],
  }));
  return { text: output.output?.message?.content?.[0]?.text };
}
