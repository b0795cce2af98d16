import { BedrockResources } from '../../../emulator/services/bedrock-resources';
import { HUB, WORKLOAD } from '../fixtures';

const resources = new BedrockResources();
const fm = (region: string, id: string): string => `arn:aws:bedrock:${region}::foundation-model/${id}`;

test.each<[string, string, string, string[]]>([
  ['an on-demand model ID', 'amazon.nova-lite-v1:0', 'us-east-1', [fm('us-east-1', 'amazon.nova-lite-v1:0')]],
  ['a foundation-model ARN of another region', fm('us-west-2', 'amazon.nova-lite-v1:0'), 'us-east-1', [fm('us-west-2', 'amazon.nova-lite-v1:0')]],
  ['a US system profile', 'us.amazon.nova-lite-v1:0', 'us-east-2', [
    `arn:aws:bedrock:us-east-2:${HUB}:inference-profile/us.amazon.nova-lite-v1:0`,
    fm('us-east-1', 'amazon.nova-lite-v1:0'), fm('us-east-2', 'amazon.nova-lite-v1:0'), fm('us-west-2', 'amazon.nova-lite-v1:0'),
  ]],
  ['an EU system profile by ARN', `arn:aws:bedrock:eu-west-1:${HUB}:inference-profile/eu.amazon.nova-lite-v1:0`, 'eu-west-1', [
    `arn:aws:bedrock:eu-west-1:${HUB}:inference-profile/eu.amazon.nova-lite-v1:0`,
    ...['eu-central-1', 'eu-west-1', 'eu-west-3', 'eu-north-1'].map((r) => fm(r, 'amazon.nova-lite-v1:0')),
  ]],
  ['a global profile (source-region model only)', 'global.anthropic.claude-sonnet-4-20250514-v1:0', 'us-east-1', [
    `arn:aws:bedrock:us-east-1:${HUB}:inference-profile/global.anthropic.claude-sonnet-4-20250514-v1:0`,
    fm('us-east-1', 'anthropic.claude-sonnet-4-20250514-v1:0'),
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
  expect(target.checks.slice(1).map((c) => c.arn)).toEqual(['us-east-1', 'us-east-2', 'us-west-2'].map((r) => fm(r, 'amazon.nova-lite-v1:0')));
  expect(target.foundationModel?.modelId).toBe('amazon.nova-lite-v1:0');
});

test('model access rules: the latest matching rule wins, default on', () => {
  const access = new BedrockResources();
  access.setModelAccess({ accountId: HUB, enabled: false });
  access.setModelAccess({ accountId: HUB, region: 'us-west-2', enabled: true });
  expect(access.hasModelAccess(HUB, 'us-east-1', 'amazon.nova-lite-v1:0')).toBe(false);
  expect(access.hasModelAccess(HUB, 'us-west-2', 'amazon.nova-lite-v1:0')).toBe(true);
  expect(access.hasModelAccess(WORKLOAD, 'us-east-1', 'amazon.nova-lite-v1:0')).toBe(true);
});
