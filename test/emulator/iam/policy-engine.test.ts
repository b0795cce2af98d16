import { ManualClock } from '../../../emulator';
import { IdentityStore, RoleSession } from '../../../emulator/iam/identities';
import { denialReason, notAuthorizedMessage, PolicyEngine, PolicyEvaluationError } from '../../../emulator/iam/policy-engine';
import { allow, HUB, policy, WORKLOAD } from '../fixtures';

const clock = new ManualClock({ start: Date.UTC(2025, 0, 15) });

function session(store: IdentityStore, roleName: string, extra: Partial<RoleSession> = {}): RoleSession {
  const role = store.roleByName(WORKLOAD, roleName)!;
  return {
    type: 'AssumedRole',
    accountId: WORKLOAD,
    arn: `arn:aws:sts::${WORKLOAD}:assumed-role/${roleName}/s`,
    roleArn: role.arn,
    roleName,
    roleId: role.roleId,
    sessionName: 's',
    principalId: `${role.roleId}:s`,
    issuedAt: clock.now(),
    issuedBy: 'sts',
    tags: {},
    transitiveTagKeys: [],
    ...extra,
  };
}

function setUp(): { store: IdentityStore; engine: PolicyEngine } {
  const store = new IdentityStore();
  store.putRole({ accountId: WORKLOAD, roleName: 'Fn', trustPolicy: allow('sts:AssumeRole', '*'), policies: [{ name: 'p', document: allow('bedrock:InvokeModel', '*') }] });
  return { store, engine: new PolicyEngine(store, clock) };
}

const model = 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0';

test.each<[string, (store: IdentityStore) => Partial<RoleSession> | void, string]>([
  ['an SCP denies', (store) => store.registerAccount({ accountId: WORKLOAD, organizationId: 'o-abc', serviceControlPolicies: [{ name: 'no-bedrock', document: policy(['Deny', 'bedrock:*', '*']) }] }),
    'with an explicit deny in a service control policy'],
  ['the permissions boundary does not allow', (store) => {
    store.putManagedPolicy(`arn:aws:iam::${WORKLOAD}:policy/boundary`, allow('s3:*', '*'));
    store.putRole({ ...store.roleByName(WORKLOAD, 'Fn')!, permissionsBoundaryArn: `arn:aws:iam::${WORKLOAD}:policy/boundary` });
  }, 'because no permissions boundary allows the bedrock:InvokeModel action'],
  ['the session policy does not allow', () => ({ sessionPolicy: allow('s3:*', '*') }), 'because no session policy allows the bedrock:InvokeModel action'],
])('a denial is explained when %s', async (_, arrange, reason) => {
  // GIVEN
  const { store, engine } = setUp();
  const extra = arrange(store) ?? {};

  // WHEN
  const decision = await engine.authorize({ principal: session(store, 'Fn', extra), action: 'bedrock:InvokeModel', resource: model, resourceAccount: WORKLOAD });

  // THEN
  expect(decision).toMatchObject({ allowed: false, reason });
});

test('the context carries the principal keys a service supplies', () => {
  const { store, engine } = setUp();
  store.registerAccount({ accountId: WORKLOAD, organizationId: 'o-abc' });
  store.putRole({ ...store.roleByName(WORKLOAD, 'Fn')!, tags: { team: 'search', cost: 'a' } });
  const context = engine.principalContext(session(store, 'Fn', { tags: { cost: 'b' }, sourceIdentity: 'alice' }), 'eu-west-1');
  expect(context).toMatchObject({
    'aws:PrincipalArn': `arn:aws:iam::${WORKLOAD}:role/Fn`,
    'aws:PrincipalAccount': WORKLOAD,
    'aws:PrincipalOrgID': 'o-abc',
    'aws:PrincipalType': 'AssumedRole',
    'aws:PrincipalTag/team': 'search',
    'aws:PrincipalTag/cost': 'b',
    'aws:SourceIdentity': 'alice',
    'aws:RequestedRegion': 'eu-west-1',
    'aws:CurrentTime': '2025-01-15T00:00:00Z',
    'aws:userid': expect.stringMatching(/^AROA[A-Z0-9]{17}:s$/),
  });
});

test('a policy the engine cannot evaluate is an emulator problem, not a denial', async () => {
  const { store, engine } = setUp();
  store.attachRolePolicy(WORKLOAD, 'Fn', { name: 'broken', document: { Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Action: 'x', Resource: '*' }] } });
  await expect(engine.authorize({ principal: session(store, 'Fn'), action: 'bedrock:InvokeModel', resource: model, resourceAccount: WORKLOAD }))
    .rejects.toBeInstanceOf(PolicyEvaluationError);
});

test('a trust policy decides whether a service may assume a role', async () => {
  const { engine } = setUp();
  const lambdaTrust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
  await expect(engine.serviceMayAssumeRole('lambda.amazonaws.com', `arn:aws:iam::${HUB}:role/R`, HUB, lambdaTrust)).resolves.toBe(true);
  await expect(engine.serviceMayAssumeRole('ec2.amazonaws.com', `arn:aws:iam::${HUB}:role/R`, HUB, lambdaTrust)).resolves.toBe(false);
});

test.each<[Parameters<typeof denialReason>, string]>([
  [['identity', false, 'sts:AssumeRole'], 'because no identity-based policy allows the sts:AssumeRole action'],
  [['resource', false, 'sts:AssumeRole'], 'because no resource-based policy allows the sts:AssumeRole action'],
  [['identity', true, 'x:Y'], 'with an explicit deny in an identity-based policy'],
  [['vpce', true, 'x:Y'], 'with an explicit deny in a VPC endpoint policy'],
])('denialReason%j', (args, text) => {
  expect(denialReason(...args)).toBe(text);
});

test('notAuthorizedMessage, with S3\'s quoted resource', () => {
  expect(notAuthorizedMessage('arn:p', 's3:GetObject', 'arn:aws:s3:::b/k', 'because x', true)).toBe('User: arn:p is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/k" because x');
});
