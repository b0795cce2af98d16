import * as shim from '../../lambda-shim';

test('the public surface is exactly the session API, the error class, the variable names, the pure id checks and the framework recipes', () => {
  expect(Object.keys(shim).sort()).toEqual([
    'BedrockHubError',
    'ENV',
    'aiSdkBedrockSettings',
    'anthropicBedrockOptions',
    'bearerRefusingFetch',
    'describeAccountIdProblem',
    'describeBedrockArnProblem',
    'describeBedrockIdProblem',
    'explainFrameworkError',
    'getBedrockHubSession',
    'hubClientConfig',
    'hubFetch',
    'openAiBedrockMantleOptions',
    'openAiBedrockRuntimeOptions',
    'parseBedrockArn',
    'resetBedrockHubSessions',
  ]);
  expect(shim.ENV.ROLE_ARN).toBe('BEDROCK_ASSUME_ROLE_ARN');
  expect(shim.ENV.TARGETS).toBe('BEDROCK_ASSUME_ROLE_TARGETS');
});

test('the pure checks, as a handler would use them on a registry entry', () => {
  const entry = { agent_id: 'PEGHWIVI5Y', alias_id: 'IO1GTTHP0M"', account_id: '152864141302' };

  expect(shim.describeBedrockIdProblem('agentId', entry.agent_id)).toBeUndefined();
  expect(`agentAliasId ${shim.describeBedrockIdProblem('agentAliasId', entry.alias_id)}`).toMatch(/^agentAliasId "IO1GTTHP0M\\"" has a trailing '"'/);
  expect(shim.describeAccountIdProblem(entry.account_id)).toBeUndefined();
  expect(shim.parseBedrockArn(`arn:aws:bedrock:us-east-1:${entry.account_id}:agent-alias/${entry.agent_id}/IO1GTTHP0M`)?.account).toBe(entry.account_id);
});

test('a session with hub mode off', () => {
  // GIVEN a function without the hub variables
  const hub = shim.getBedrockHubSession({ env: { AWS_REGION: 'us-east-1' } });

  // THEN
  expect(hub.enabled).toBe(false);
  expect(hub.region).toBe('us-east-1');
  shim.resetBedrockHubSessions();
});
