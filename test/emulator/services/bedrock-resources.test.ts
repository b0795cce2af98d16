import { BedrockResources } from '../../../emulator/services/bedrock-resources';
import { HUB, WORKLOAD } from '../fixtures';

const resources = new BedrockResources();
const fm = (region: string, id: string): string => `arn:aws:bedrock:${region}::foundation-model/${id}`;

test.each<[string, string, string, string[]]>([
  ['an on-demand model ID', 'amazon.nova-lite-v1:0', 'us-east-1', [fm('us-east-1', 'amazon.nova-lite-v1:0')]],
  ['a foundation-model ARN of another region', fm('us-west-2', 'amazon.nova-lite-v1:0'), 'us-east-1', [fm('us-west-2', 'amazon.nova-lite-v1:0')]],
  ['a US system profile (routed to the next US region)', 'us.amazon.nova-lite-v1:0', 'us-east-2', [
    `arn:aws:bedrock:us-east-2:${HUB}:inference-profile/us.amazon.nova-lite-v1:0`,
    fm('us-west-2', 'amazon.nova-lite-v1:0'),
  ]],
  ['an EU system profile by ARN', `arn:aws:bedrock:eu-west-1:${HUB}:inference-profile/eu.amazon.nova-lite-v1:0`, 'eu-west-1', [
    `arn:aws:bedrock:eu-west-1:${HUB}:inference-profile/eu.amazon.nova-lite-v1:0`,
    fm('eu-west-3', 'amazon.nova-lite-v1:0'),
  ]],
  ['a JP system profile from Tokyo (routed to Osaka)', 'jp.anthropic.claude-sonnet-4-6', 'ap-northeast-1', [
    `arn:aws:bedrock:ap-northeast-1:${HUB}:inference-profile/jp.anthropic.claude-sonnet-4-6`,
    fm('ap-northeast-3', 'anthropic.claude-sonnet-4-6'),
  ]],
  ['a global profile (the source-region model and the region-less model ARN)', 'global.anthropic.claude-sonnet-4-20250514-v1:0', 'us-east-1', [
    `arn:aws:bedrock:us-east-1:${HUB}:inference-profile/global.anthropic.claude-sonnet-4-20250514-v1:0`,
    fm('us-east-1', 'anthropic.claude-sonnet-4-20250514-v1:0'),
    fm('', 'anthropic.claude-sonnet-4-20250514-v1:0'),
  ]],
])('%s needs permission on exactly these resources', (_, identifier, region, arns) => {
  expect(resources.resolveModel(identifier, HUB, region).checks.map((c) => c.arn)).toEqual(arns);
});

test('an application inference profile adds its underlying models, and keeps its own account', () => {
  const profile = resources.addApplicationInferenceProfile({
    accountId: WORKLOAD, region: 'us-east-1', name: 'p', copyFrom: `arn:aws:bedrock:us-east-1:${WORKLOAD}:inference-profile/us.amazon.nova-lite-v1:0`,
  });
  const target = resources.resolveModel(profile.arn, HUB, 'us-east-1');
  expect(target.checks[0]).toEqual({ arn: profile.arn, account: WORKLOAD });
  expect(target.checks.slice(1).map((c) => c.arn)).toEqual([fm('us-east-2', 'amazon.nova-lite-v1:0')]);
  expect(target.foundationModel?.modelId).toBe('amazon.nova-lite-v1:0');
});

test('model subscriptions are per account: the latest matching rule wins, default subscribed', () => {
  const access = new BedrockResources();
  access.setModelSubscription({ accountId: HUB, subscribed: false });
  access.setModelSubscription({ accountId: HUB, modelId: 'anthropic.claude-sonnet-4-6', subscribed: true });
  expect(access.isSubscribed(HUB, 'anthropic.claude-3-5-haiku-20241022-v1:0')).toBe(false);
  expect(access.isSubscribed(HUB, 'anthropic.claude-sonnet-4-6')).toBe(true);
  expect(access.isSubscribed(WORKLOAD, 'anthropic.claude-3-5-haiku-20241022-v1:0')).toBe(true);
});
