import { ENV, MAX_STS_REGIONS, describeStsRegionsProblem, splitStsRegions } from '../../src/contract';

describe(ENV.STS_REGIONS, () => {
  test.each([
    ['', []],
    ['us-east-1', ['us-east-1']],
    ['us-east-1, us-west-2', ['us-east-1', 'us-west-2']],
    ['us-gov-west-1,us-gov-east-1', ['us-gov-west-1', 'us-gov-east-1']],
    ['cn-north-1,cn-northwest-1', ['cn-north-1', 'cn-northwest-1']],
  ])('%j is usable and read as %j', (value, regions) => {
    expect(describeStsRegionsProblem(value)).toBeUndefined();
    expect(splitStsRegions(value)).toEqual(regions);
  });

  test.each([
    ['us-east-1,,us-west-2', 'has an empty entry (two commas in a row, or a trailing comma)'],
    ['us-east-1,', 'has an empty entry (two commas in a row, or a trailing comma)'],
    ['US-EAST-1', 'has "US-EAST-1", which is not a region code (e.g. us-east-1)'],
    ['sts.us-east-1.amazonaws.com', 'has "sts.us-east-1.amazonaws.com", which is not a region code (e.g. us-east-1)'],
    ['us-east-1 us-west-2', 'has "us-east-1 us-west-2", which is not a region code (e.g. us-east-1)'],
    ['us-east-1,us-east-1', 'names us-east-1 twice'],
    ['us-east-1,us-east-2,us-west-1,us-west-2,eu-west-1,eu-west-2', `names 6 regions; at most ${MAX_STS_REGIONS} are allowed`],
  ])('%j is refused: %s', (value, problem) => {
    expect(describeStsRegionsProblem(value)).toBe(problem);
  });
});
