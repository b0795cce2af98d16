import {
  describeRoleArnProblem,
  parseRoleArn,
  PARTITIONS,
  ROLE_ARN_PATTERN_SOURCE,
} from '../../src/contract';

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
