import { geographyFor } from '../../lambda-shim/bedrock-facts';

describe('geographyFor: the system-defined profile geography whose source regions include a region', () => {
  test.each([
    ['us-east-1', 'us'],
    ['ca-central-1', 'us'],
    ['us-gov-west-1', 'us-gov'],
    ['eu-central-1', 'eu'],
    ['ap-northeast-1', 'apac'],
    ['sa-east-1', undefined],
  ])('%s → %s', (region, geography) => {
    expect(geographyFor(region)).toBe(geography);
  });
});
