import * as shim from '../../lambda-shim';

test('the public surface is exactly the session API, the error class and the variable names', () => {
  expect(Object.keys(shim).sort()).toEqual(['BedrockHubError', 'ENV', 'getBedrockHubSession', 'resetBedrockHubSessions']);
  expect(shim.ENV.ROLE_ARN).toBe('BEDROCK_ASSUME_ROLE_ARN');
});

test('a session with hub mode off', () => {
  // GIVEN a function without the hub variables
  const hub = shim.getBedrockHubSession({ env: { AWS_REGION: 'us-east-1' } });

  // THEN
  expect(hub.enabled).toBe(false);
  expect(hub.region).toBe('us-east-1');
  shim.resetBedrockHubSessions();
});
