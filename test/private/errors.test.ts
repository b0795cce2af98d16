import { App, Stack } from 'aws-cdk-lib';
import { BedrockHubAccess } from '../../src/bedrock-hub-access';
import { BedrockHubRole } from '../../src/bedrock-hub-role';
import { constructError, describeConstruct } from '../../src/private/errors';

describe('construct errors name the construct and its path, in one style', () => {
  test('the helper', () => {
    const stack = new Stack(new App(), 'Workload');
    const access = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: 'arn:aws:iam::111122223333:role/BedrockHubRole' });
    expect(describeConstruct(access)).toBe("BedrockHubAccess 'Workload/Hub'");
    expect(constructError(access, 'something is wrong.').message).toBe("BedrockHubAccess 'Workload/Hub': something is wrong.");
  });

  test.each<[string, (stack: Stack) => void, RegExp]>([
    ['BedrockHubAccess', (stack) => new BedrockHubAccess(stack, 'Access', { hubRoleArn: 'BedrockHubRole' }), /^BedrockHubAccess 'S\/Access': hubRoleArn /],
    ['BedrockHubRole', (stack) => new BedrockHubRole(stack, 'Role', { trustedAccounts: ['1'], externalId: 'external-id' }), /^BedrockHubRole 'S\/Role': trustedAccounts\[0\] /],
    ['BedrockHubRole (add*)', (stack) => new BedrockHubRole(stack, 'Role', { trustedAccounts: ['222233334444'], externalId: 'external-id' }).addGuardrails('BAD!'),
      /^BedrockHubRole 'S\/Role': guardrails\[0\] 'BAD!'/],
  ])('%s', (_name, build, message) => {
    expect(() => build(new Stack(new App(), 'S', { env: { account: '111122223333', region: 'us-east-1' } }))).toThrow(message);
  });
});
