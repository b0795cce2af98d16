import { bearerTokenWarning, warnAboutBearerTokenOnce } from '../../lambda-shim/bearer-token-warning';

const TOKEN = 'ABSK-secret-api-key-value';

describe('AWS_BEARER_TOKEN_BEDROCK with hub mode on', () => {
  test('names the variable, never its value; nothing when hub mode is off or the variable is empty', () => {
    const text = bearerTokenWarning({ AWS_BEARER_TOKEN_BEDROCK: TOKEN }, true);
    expect(text).toMatch(/AWS_BEARER_TOKEN_BEDROCK is set while hub mode is on.*hub\.credentials.*Remove AWS_BEARER_TOKEN_BEDROCK/);
    expect(text).not.toContain(TOKEN);
    expect(bearerTokenWarning({ AWS_BEARER_TOKEN_BEDROCK: TOKEN }, false)).toBeUndefined();
    expect(bearerTokenWarning({ AWS_BEARER_TOKEN_BEDROCK: '' }, true)).toBeUndefined();
  });

  test('warns once per process', () => {
    const warn = jest.fn();
    warnAboutBearerTokenOnce({}, true, warn);
    warnAboutBearerTokenOnce({ AWS_BEARER_TOKEN_BEDROCK: TOKEN }, true, warn);
    warnAboutBearerTokenOnce({ AWS_BEARER_TOKEN_BEDROCK: TOKEN }, true, warn);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).not.toContain(TOKEN);
  });
});
