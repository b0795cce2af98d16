import { BedrockHubError } from '../../lambda-shim/errors';

/** An error shaped like the SDK's service exceptions. */
function serviceError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode, requestId: 'req-1' } });
}

describe('BedrockHubError', () => {
  test('message carries layer, problem and hint; cause and JSON are kept', () => {
    const cause = serviceError('AccessDenied', 'nope', 403);
    const error = new BedrockHubError('trust-policy', 'It failed.', 'Do this.', cause);

    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('BedrockHubError');
    expect(error.message).toBe('bedrock-hub-access (trust-policy): It failed. Do this.');
    expect(error.cause).toBe(cause);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'BedrockHubError',
      layer: 'trust-policy',
      message: error.message,
      hint: 'Do this.',
      cause: { name: 'AccessDenied', code: 'AccessDenied', message: 'nope', httpStatusCode: 403, requestId: 'req-1' },
    });
  });

  test('a BedrockHubError made before the call has no $metadata', () => {
    expect(new BedrockHubError('configuration', 'x', 'y')).not.toHaveProperty('$metadata');
  });
});
