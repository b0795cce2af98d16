import {
  describeDurationProblem,
  describeExternalIdProblem,
  describeSessionNameProblem,
  describeSessionTagsProblem,
  describeSourceIdentityProblem,
  sanitizeSessionName,
} from '../../src/contract';

/**
 * An STS string parameter of 2 to `maxLength` characters from a set (AssumeRole's API reference):
 * its cases are its bounds, one value with every kind of character it takes, whitespace, and one
 * character it refuses.
 */
interface StringParameter {
  readonly parameter: string;
  readonly describeProblem: (value: string) => string | undefined;
  readonly maxLength: number;
  readonly everyCharacterKind: string;
  readonly refusedCharacter: string;
  /** A secret: its problem never echoes the value. */
  readonly secret: boolean;
}

const STRING_PARAMETERS: readonly StringParameter[] = [
  { parameter: 'external ID', describeProblem: describeExternalIdProblem, maxLength: 1224, everyCharacterKind: 'Ab0_+=,.@:/-', refusedCharacter: '#', secret: true },
  { parameter: 'session name', describeProblem: describeSessionNameProblem, maxLength: 64, everyCharacterKind: 'my-fn_1+=,.@', refusedCharacter: '/', secret: false },
];

describe.each(STRING_PARAMETERS)('$parameter', ({ describeProblem, maxLength, everyCharacterKind, refusedCharacter, secret }) => {
  test.each(['ab', 'a'.repeat(maxLength), everyCharacterKind])('accepts %j', (value) => {
    expect(describeProblem(value)).toBeUndefined();
  });

  test.each<[string, string]>([
    ['a', `1 characters; STS requires 2 to ${maxLength}`],
    ['a'.repeat(maxLength + 1), `${maxLength + 1} characters`],
    ['ab cd', 'contains whitespace'],
    [`ab${refusedCharacter}cd`, `the character '${refusedCharacter}'`],
  ])(secret ? 'rejects %j without echoing it' : 'rejects %j', (value, message) => {
    const problem = describeProblem(value);
    expect(problem).toMatch(message);
    if (secret && value.length > 1) expect(problem).not.toContain(value);
  });
});

describe('session name', () => {
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
