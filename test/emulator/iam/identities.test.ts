import { IdentityStore } from '../../../emulator/iam/identities';
import { allow, WORKLOAD } from '../fixtures';

const trust = allow('sts:AssumeRole', '*');

test('roles are found by ARN with their path, and only with it', () => {
  const store = new IdentityStore();
  const role = store.putRole({ accountId: WORKLOAD, roleName: 'Hub', path: '/service/', trustPolicy: trust });
  expect(role.arn).toBe(`arn:aws:iam::${WORKLOAD}:role/service/Hub`);
  expect(role.roleId).toMatch(/^AROA[A-Z0-9]{17}$/);
  expect(store.roleByArn(`arn:aws:iam::${WORKLOAD}:role/service/Hub`)).toBe(role);
  expect(store.roleByArn(`arn:aws:iam::${WORKLOAD}:role/Hub`)).toBeUndefined();
  expect(store.roleByArn('not an arn')).toBeUndefined();
});

test('policies attached by role name before the role exists still apply (template order does not matter)', () => {
  const store = new IdentityStore();
  store.attachRolePolicy(WORKLOAD, 'Fn', { name: 'Default', document: allow('s3:GetObject', '*') });
  store.putManagedPolicy(`arn:aws:iam::${WORKLOAD}:policy/Shared`, allow('s3:PutObject', '*'));
  store.attachRoleManagedPolicy(WORKLOAD, 'Fn', `arn:aws:iam::${WORKLOAD}:policy/Shared`);
  store.putRole({
    accountId: WORKLOAD,
    roleName: 'Fn',
    trustPolicy: trust,
    policies: [{ name: 'Default', document: allow('sqs:SendMessage', '*') }],
    managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole', 'arn:aws:iam::aws:policy/AmazonBedrockFullAccess'],
  });
  const role = store.roleByName(WORKLOAD, 'Fn')!;
  const session = {
    type: 'AssumedRole' as const,
    accountId: WORKLOAD,
    arn: 'x',
    roleArn: role.arn,
    roleName: 'Fn',
    roleId: role.roleId,
    sessionName: 's',
    principalId: 'p',
    issuedAt: 0,
    issuedBy: 'sts' as const,
    tags: {},
    transitiveTagKeys: [],
  };
  expect(store.policiesFor(session).identityPolicies.map((p) => p.name)).toEqual([
    'Default', 'Default#2', 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole', `arn:aws:iam::${WORKLOAD}:policy/Shared`,
  ]);
  expect(store.unknownManagedPolicies()).toEqual(['arn:aws:iam::aws:policy/AmazonBedrockFullAccess']);
});

test('SCPs apply only inside an organization, under FullAWSAccess', () => {
  const store = new IdentityStore();
  expect(store.serviceControlPolicies(WORKLOAD)).toEqual([]);
  store.registerAccount({ accountId: WORKLOAD, organizationId: 'o-abc' });
  expect(store.serviceControlPolicies(WORKLOAD).map((level) => [level.orgIdentifier, level.policies.map((p) => p.name)])).toEqual([
    ['o-abc', ['FullAWSAccess']],
    [WORKLOAD, ['FullAWSAccess']],
  ]);
  expect(() => store.registerAccount({ accountId: '12345' })).toThrow(/12 digits/);
});
