import { BedrockHubEnvironment } from '../src';
import { ENV } from '../src/contract';

describe('BedrockHubEnvironment', () => {
  test('names the variables of the shared contract', () => {
    expect(BedrockHubEnvironment.ROLE_ARN).toBe('BEDROCK_ASSUME_ROLE_ARN');
    expect(BedrockHubEnvironment.EXTERNAL_ID).toBe('BEDROCK_ASSUME_ROLE_EXTERNAL_ID');
    expect(BedrockHubEnvironment.SESSION_NAME).toBe('BEDROCK_ASSUME_ROLE_SESSION_NAME');
    expect(BedrockHubEnvironment.DURATION_SECONDS).toBe('BEDROCK_ASSUME_ROLE_DURATION_SECONDS');
  });

  test.each(Object.entries(ENV))('exposes ENV.%s to every jsii language', (key, name) => {
    // A variable added to the contract must be added to BedrockHubEnvironment, under the same key.
    expect((BedrockHubEnvironment as unknown as Record<string, string>)[key]).toBe(name);
  });

  test('lists every variable of the contract, in order', () => {
    expect(BedrockHubEnvironment.ALL).toEqual(Object.values(ENV));
  });
});
