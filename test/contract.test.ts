import {
  describeDurationProblem,
  describeExternalIdProblem,
  describeRoleArnProblem,
  describeSessionNameProblem,
  describeSessionTagsProblem,
  describeSourceIdentityProblem,
  parseRoleArn,
  parseTargets,
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
    ['arn:aws:iam::111122223333:role/R,ExternalId=s3cr3t-value', /contains an ExternalId after the role name/],
    ['arn:aws:iam::111122223333:role/R;externalId:s3cr3t-value', /pasted into one value/],
  ])('rejects %j', (arn, message) => {
    expect(describeRoleArnProblem(arn)).toMatch(message);
  });

  test.each([
    'arn:aws:iam::111122223333:role/R ExternalId: s3cr3t-value',
    'arn:aws:iam::111122223333:role/R,ExternalId=s3cr3t-value',
    'arn:aws:iam::111122223333:role/R;externalId:s3cr3t-value',
    'arn:aws:iam::111122223333:role/R s3cr3t-value',
  ])('never repeats a pasted ExternalId (a secret): %s', (value) => {
    expect(describeRoleArnProblem(value)).not.toContain('s3cr3t-value');
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

describe('targets', () => {
  test('parses roles in further accounts', () => {
    expect(parseTargets(JSON.stringify([
      { roleArn: 'arn:aws:iam::333333333333:role/AgentRole', externalId: 'ext-333' },
      { roleArn: 'arn:aws:iam::444444444444:role/KbRole' },
    ]))).toEqual({
      targets: [
        { roleArn: 'arn:aws:iam::333333333333:role/AgentRole', externalId: 'ext-333' },
        { roleArn: 'arn:aws:iam::444444444444:role/KbRole' },
      ],
    });
  });

  test.each<[string, RegExp]>([
    ['not json', /not valid JSON/],
    ['{}', /must be a JSON array/],
    ['[1]', /entry 0 must be an object with a string "roleArn"/],
    ['[{"roleArn":"arn:aws:iam::333:role/R"}]', /entry 0 "roleArn".*not 12 digits/],
    ['[{"roleArn":"arn:aws:iam::333333333333:role/R","externalid":"x"}]', /unknown field\(s\) externalid/],
    ['[{"roleArn":"arn:aws:iam::333333333333:role/R","externalId":"has space"}]', /entry 0 "externalId" contains whitespace/],
    ['[{"roleArn":"arn:aws:iam::333333333333:role/A"},{"roleArn":"arn:aws:iam::333333333333:role/B"}]', /entries 0 and 1 both target account 333333333333/],
  ])('rejects %s', (json, message) => {
    const result = parseTargets(json);
    expect('problem' in result && result.problem).toMatch(message);
    expect(JSON.stringify(result)).not.toContain('has space');
  });
});

describe('session tags and source identity', () => {
  test('accepts ordinary tags', () => {
    expect(describeSessionTagsProblem({ 'team': 'doc ai', 'cost-center': '1234', 'app:name': 'idp/extract' })).toBeUndefined();
  });

  test.each<[Record<string, string>, RegExp]>([
    [Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])), /51 tags; STS allows at most 50/],
    [{ '': 'v' }, /0 characters; STS allows 1 to 128/],
    [{ ['k'.repeat(129)]: 'v' }, /129 characters/],
    [{ 'aws:team': 'v' }, /reserved/],
    [{ 'team#1': 'v' }, /tag key 'team#1' has characters STS does not allow/],
    [{ team: 'v'.repeat(257) }, /value of 257 characters/],
    [{ team: 'a;b' }, /tag 'team' has a value with characters STS does not allow/],
    [{ Team: 'a', team: 'b' }, /'Team' and 'team' differ only in case/],
  ])('rejects %j', (tags, message) => {
    expect(describeSessionTagsProblem(tags)).toMatch(message);
  });

  test.each<[string, RegExp | undefined]>([
    ['alice@example.com', undefined],
    ['aws:alice', /STS reserves/],
    ['a', /1 characters/],
    ['has space', /whitespace/],
  ])('source identity %j', (value, message) => {
    const problem = describeSourceIdentityProblem(value);
    if (message) expect(problem).toMatch(message);
    else expect(problem).toBeUndefined();
  });
});
