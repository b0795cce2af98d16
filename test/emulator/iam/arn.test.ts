import { assumedRoleArn, parseArn, parseRoleArn, roleArn, stableId, UPPER_ALNUM } from '../../../emulator/iam/arn';

test.each<[string, ReturnType<typeof parseRoleArn>]>([
  ['arn:aws:iam::222222222222:role/BedrockHubRole', { partition: 'aws', account: '222222222222', path: '/', roleName: 'BedrockHubRole' }],
  ['arn:aws-cn:iam::222222222222:role/team/ai/Hub', { partition: 'aws-cn', account: '222222222222', path: '/team/ai/', roleName: 'Hub' }],
  ['arn:aws:iam::2222:role/Short', undefined],
  ['arn:aws:iam::222222222222:user/alice', undefined],
  ['arn:aws:sts::222222222222:assumed-role/Hub/s', undefined],
])('parseRoleArn(%s)', (text, expected) => {
  expect(parseRoleArn(text)).toEqual(expected);
});

test('parseArn keeps colons inside the resource (model IDs have them)', () => {
  expect(parseArn('arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0')).toEqual({
    partition: 'aws', service: 'bedrock', region: 'us-east-1', account: '', resource: 'foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
  });
  expect(parseArn('not:an:arn')).toBeUndefined();
});

test('role and session ARNs: the session ARN never carries the role path', () => {
  expect(roleArn('111111111111', 'Fn', '/service/')).toBe('arn:aws:iam::111111111111:role/service/Fn');
  expect(assumedRoleArn('111111111111', 'Fn', 'my-function')).toBe('arn:aws:sts::111111111111:assumed-role/Fn/my-function');
});

test('stable IDs depend only on their seed', () => {
  expect(stableId('seed', 17, UPPER_ALNUM)).toBe(stableId('seed', 17, UPPER_ALNUM));
  expect(stableId('seed', 17, UPPER_ALNUM)).not.toBe(stableId('other', 17, UPPER_ALNUM));
  expect(stableId('seed', 70, UPPER_ALNUM)).toMatch(/^[A-Z0-9]{70}$/);
});
