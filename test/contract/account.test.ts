import { describeAccountIdProblem, describeRegionProblem, ORGANIZATION_ID_PATTERN } from '../../src/contract';

describe('regions', () => {
  test.each(['us-east-1', 'us-gov-west-1', 'cn-north-1', 'eu-central-2', 'eusc-de-east-1', 'us-isob-east-1', 'ap-southeast-5'])('accepts %s', (region) => {
    expect(describeRegionProblem(region)).toBeUndefined();
  });

  test.each(['US East 1', 'us-east', 'not a region', 'useast1', 'us-east-1 '])('refuses %j', (region) => {
    expect(describeRegionProblem(region)).toMatch(/is not an AWS region code/);
  });
});

describe('accounts and organizations', () => {
  test('an account id is 12 digits, leading zeros included', () => {
    expect(describeAccountIdProblem('011122223333')).toBeUndefined();
    expect(describeAccountIdProblem('11112222333')).toMatch(/is not 12 digits/);
    expect(describeAccountIdProblem(' 111122223333')).toMatch(/has a leading space/);
  });

  test('an organization id is o- and 10 to 32 lower-case letters or digits', () => {
    expect(ORGANIZATION_ID_PATTERN.test('o-a1b2c3d4e5')).toBe(true);
    expect(ORGANIZATION_ID_PATTERN.test('r-ab12')).toBe(false);
    expect(ORGANIZATION_ID_PATTERN.test('o-A1B2C3D4E5')).toBe(false);
  });
});
