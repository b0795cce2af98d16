import { BedrockHubEnvironment } from '../src';
import { ENV } from '../src/contract';

describe('BedrockHubEnvironment', () => {
  test('names the variables of the shared contract', () => {
    expect(BedrockHubEnvironment.ROLE_ARN).toBe('BEDROCK_ASSUME_ROLE_ARN');
    expect(BedrockHubEnvironment.EXTERNAL_ID).toBe(ENV.EXTERNAL_ID);
    expect(BedrockHubEnvironment.SESSION_NAME).toBe(ENV.SESSION_NAME);
    expect(BedrockHubEnvironment.DURATION_SECONDS).toBe(ENV.DURATION_SECONDS);
  });

  test('lists every variable of the contract, in order', () => {
    expect(BedrockHubEnvironment.ALL).toEqual(Object.values(ENV));
  });
});
