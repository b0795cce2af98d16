/**
 * A burst's first wave and nothing else: one AssumeRole per execution environment, sent during
 * INIT like the shim's prefetch, never retried. Bundled and run beside the shim by `burst.ts`.
 * Every environment it sees throttled needs at least one more call under any retry policy, so a
 * burst that fails nothing makes at least (environments + these throttles) STS calls.
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

const sts = new STSClient({ maxAttempts: 1 });

const assumed = sts.send(new AssumeRoleCommand({
  RoleArn: process.env.BEDROCK_ASSUME_ROLE_ARN,
  RoleSessionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bedrock-hub',
  ExternalId: process.env.BEDROCK_ASSUME_ROLE_EXTERNAL_ID,
}));
// Kept for the handler; no unhandled rejection while nobody awaits it.
assumed.catch(() => undefined);

export async function handler(): Promise<{ text?: string }> {
  const { Credentials } = await assumed;
  return { text: Credentials?.AccessKeyId ? 'assumed' : undefined };
}
