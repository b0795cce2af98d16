import {
  parseTargets,
} from '../../src/contract';

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
