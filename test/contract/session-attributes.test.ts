import {
  describeDurationProblem,
  describeExternalIdProblem,
  describeSessionNameProblem,
  describeSessionTagsProblem,
  describeSourceIdentityProblem,
  sanitizeSessionName,
} from '../../src/contract';

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
