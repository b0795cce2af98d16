import {
  describeDurationProblem,
  describeExternalIdProblem,
  describeRoleArnProblem,
  describeSessionNameProblem,
  parseRoleArn,
  PARTITIONS,
  ROLE_ARN_PATTERN_SOURCE,
  sanitizeSessionName,
} from '../src/contract';

describe('role ARN', () => {
  test.each(PARTITIONS.map((p) => [p]))('accepts a role ARN in partition %s', (partition) => {
    expect(describeRoleArnProblem(`arn:${partition}:iam::111122223333:role/BedrockHubRole`)).toBeUndefined();
  });

  test.each([
    'arn:aws:iam::111122223333:role/BedrockHubRole',
    'arn:aws:iam::111122223333:role/service-role/BedrockHubRole',
    'arn:aws:iam::111122223333:role/a/b/c/Name+=,.@_-',
    `arn:aws:iam::011122223333:role/${'x'.repeat(64)}`,
  ])('accepts %s', (arn) => {
    expect(describeRoleArnProblem(arn)).toBeUndefined();
  });

  test.each<[string, RegExp]>([
    ['', /is not an ARN/],
    ['BedrockHubRole', /is not an ARN/],
    ['arn:aws:iam::11112222333:role/R', /not 12 digits/],
    ['arn:aws:iam::1111222233334:role/R', /not 12 digits/],
    ['arn:aws:iam::ACCOUNT:role/R', /not 12 digits/],
    ['arn:aws:iam::111122223333:user/alice', /IAM user ARN, not a role/],
    ['arn:aws:iam::111122223333:root', /account root ARN, not a role/],
    ['arn:aws:sts::111122223333:assumed-role/Hub/session', /assumed-role session ARN.*arn:aws:iam::111122223333:role\/Hub/],
    ['arn:aws-moon:iam::111122223333:role/R', /unknown partition 'aws-moon'/],
    ['arn:aws:s3:::bucket', /'s3' service, not an IAM role/],
    ['arn:aws:iam:us-east-1:111122223333:role/R', /names a region/],
    ['arn:aws:iam::111122223333:role/', /no role name/],
    [`arn:aws:iam::111122223333:role/${'x'.repeat(65)}`, /65 characters.*at most 64/],
    ['arn:aws:iam::111122223333:role/Bad#Name', /characters IAM does not allow/],
    [' arn:aws:iam::111122223333:role/R', /whitespace \(at character 1\)/],
    ['arn:aws:iam::111122223333:role/R\n', /whitespace/],
    ['arn:aws:iam::111122223333:role/R ExternalId: s3cr3t-value', /pasted into one value/],
    ['arn:aws:iam::111122223333:role/R s3cr3t-value', /pasted into one value/],
  ])('rejects %j', (arn, message) => {
    expect(describeRoleArnProblem(arn)).toMatch(message);
  });

  test('never repeats what follows whitespace (a pasted ExternalId is a secret)', () => {
    const problem = describeRoleArnProblem('arn:aws:iam::111122223333:role/R ExternalId: s3cr3t-value');
    expect(problem).not.toContain('s3cr3t-value');
  });

  test('the pattern source is also a valid anchored CloudFormation AllowedPattern', () => {
    // Java and JavaScript agree on this subset; check a few values through the JS engine.
    const re = new RegExp(`^(|${ROLE_ARN_PATTERN_SOURCE})$`);
    expect(re.test('')).toBe(true);
    expect(re.test('arn:aws:iam::111122223333:role/R')).toBe(true);
    expect(re.test('arn:aws:iam::111122223333:role/R extra')).toBe(false);
  });

  test('parseRoleArn splits partition, account, path and name', () => {
    expect(parseRoleArn('arn:aws-cn:iam::111122223333:role/team/ai/Hub')).toEqual({
      partition: 'aws-cn',
      account: '111122223333',
      path: '/team/ai/',
      roleName: 'Hub',
    });
    expect(parseRoleArn('arn:aws:iam::111122223333:role/Hub')?.path).toBe('/');
    expect(parseRoleArn('arn:aws:iam::111122223333:user/Hub')).toBeUndefined();
  });
});

describe('external ID', () => {
  test.each(['ab', 'a'.repeat(1224), 'Ab0_+=,.@:/-'])('accepts %j', (value) => {
    expect(describeExternalIdProblem(value)).toBeUndefined();
  });

  test.each<[string, RegExp]>([
    ['a', /1 characters; STS requires 2 to 1224/],
    ['a'.repeat(1225), /1225 characters/],
    ['secret value', /contains whitespace/],
    ['secret#value', /the character '#'/],
  ])('rejects %j without echoing it', (value, message) => {
    const problem = describeExternalIdProblem(value);
    expect(problem).toMatch(message);
    if (value.length > 1) expect(problem).not.toContain(value);
  });
});

describe('session name', () => {
  test.each(['ab', 'x'.repeat(64), 'my-fn_1+=,.@'])('accepts %j', (value) => {
    expect(describeSessionNameProblem(value)).toBeUndefined();
  });

  test.each<[string, RegExp]>([
    ['a', /1 characters; STS requires 2 to 64/],
    ['x'.repeat(65), /65 characters/],
    ['my fn', /contains whitespace/],
    ['my/fn', /the character '\/'/],
  ])('rejects %j', (value, message) => {
    expect(describeSessionNameProblem(value)).toMatch(message);
  });

  test.each<[string, string]>([
    ['my-function', 'my-function'],
    ['fn:with/odd chars', 'fn-with-odd-chars'],
    ['x'.repeat(80), 'x'.repeat(64)],
    ['a', 'a-'],
    ['', 'bedrock-hub-access'],
  ])('sanitizes %j to %j', (input, expected) => {
    expect(sanitizeSessionName(input)).toBe(expected);
    expect(describeSessionNameProblem(sanitizeSessionName(input))).toBeUndefined();
  });
});

describe('duration', () => {
  test.each([900, 1800, 3600])('accepts %d s', (seconds) => {
    expect(describeDurationProblem(seconds)).toBeUndefined();
  });

  test.each<[number, RegExp]>([
    [899, /less than STS's minimum of 900/],
    [3601, /role chaining.*one hour/],
    [43200, /role chaining/],
    [1000.5, /not a whole number/],
    [Number.NaN, /not a whole number/],
  ])('rejects %d', (seconds, message) => {
    expect(describeDurationProblem(seconds)).toMatch(message);
  });
});
