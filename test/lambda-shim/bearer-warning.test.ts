import { bearerBypassVariables, resetBearerBypassWarning, warnAboutBearerBypass } from '../../lambda-shim/bearer-warning';

const ROLE_ARN = 'arn:aws:iam::111122223333:role/BedrockHubRole';

describe('bearerBypassVariables', () => {
  test.each([
    [{}, []],
    [{ AWS_BEARER_TOKEN_BEDROCK: 'ABSK-secret' }, ['AWS_BEARER_TOKEN_BEDROCK']],
    [{ AWS_BEARER_TOKEN_BEDROCK: '  ' }, []],
    [{ AWS_AUTH_SCHEME_PREFERENCE: 'httpBearerAuth' }, ['AWS_AUTH_SCHEME_PREFERENCE']],
    [{ AWS_AUTH_SCHEME_PREFERENCE: 'httpBearerAuth, sigv4' }, ['AWS_AUTH_SCHEME_PREFERENCE']],
    [{ AWS_AUTH_SCHEME_PREFERENCE: 'sigv4,httpBearerAuth' }, []],
    [{ AWS_AUTH_SCHEME_PREFERENCE: 'aws.auth#sigv4' }, []],
    [{ AWS_AUTH_SCHEME_PREFERENCE: 'smithy.api#httpBearerAuth' }, ['AWS_AUTH_SCHEME_PREFERENCE']],
    [{ AWS_BEARER_TOKEN_BEDROCK: 'k', AWS_AUTH_SCHEME_PREFERENCE: 'httpBearerAuth' }, ['AWS_BEARER_TOKEN_BEDROCK', 'AWS_AUTH_SCHEME_PREFERENCE']],
  ])('%j → %j', (env, expected) => {
    expect(bearerBypassVariables(env)).toEqual(expected);
  });
});

describe('warnAboutBearerBypass', () => {
  beforeEach(() => resetBearerBypassWarning());

  test('warns once per process, naming the variable and the role, never the value', () => {
    // GIVEN
    const lines: string[] = [];
    const env = { AWS_BEARER_TOKEN_BEDROCK: 'ABSK-secret-value' };

    // WHEN
    const first = warnAboutBearerBypass(env, ROLE_ARN, (line) => lines.push(line));
    const second = warnAboutBearerBypass(env, ROLE_ARN, (line) => lines.push(line));

    // THEN
    expect([first, second]).toEqual([true, false]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^bedrock-hub-access: AWS_BEARER_TOKEN_BEDROCK is set while hub mode is on \(arn:aws:iam::111122223333:role\/BedrockHubRole\)\./);
    expect(lines[0]).toMatch(/Remove AWS_BEARER_TOKEN_BEDROCK from the function's environment\.$/);
    expect(lines[0]).not.toContain('ABSK-secret-value');
  });

  test('says nothing for a clean environment', () => {
    const lines: string[] = [];
    expect(warnAboutBearerBypass({ AWS_REGION: 'us-east-1' }, ROLE_ARN, (line) => lines.push(line))).toBe(false);
    expect(lines).toEqual([]);
  });
});
