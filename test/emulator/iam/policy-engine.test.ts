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

const SCP_ARN = 'arn:aws:organizations::999988887777:policy/o-exampleorg1/service_control_policy/p-examplescp1';
const RCP_ARN = 'arn:aws:organizations::999988887777:policy/o-exampleorg1/resource_control_policy/p-examplercp1';
const REGIONLESS = 'arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-6';

test.each<[string, (store: IdentityStore) => void, string, string]>([
  ['an SCP named by its ARN denies: the ARN is appended', (store) => store.registerAccount({
    accountId: WORKLOAD, organizationId: 'o-exampleorg1', serviceControlPolicies: [{ name: SCP_ARN, document: policy(['Deny', 'bedrock:*', '*']) }],
  }), model, `with an explicit deny in a service control policy: ${SCP_ARN}`],
  ['a managed identity policy denies: its ARN is appended', (store) => {
    store.putManagedPolicy(`arn:aws:iam::${WORKLOAD}:policy/DenyModels`, policy(['Deny', 'bedrock:InvokeModel', '*']));
    store.putRole({ ...store.roleByName(WORKLOAD, 'Fn')!, managedPolicyArns: [`arn:aws:iam::${WORKLOAD}:policy/DenyModels`] });
  }, model, `with an explicit deny in an identity-based policy: arn:aws:iam::${WORKLOAD}:policy/DenyModels`],
  ['an inline identity policy denies: no ARN to append', (store) => store.attachRolePolicy(WORKLOAD, 'Fn', { name: 'deny', document: policy(['Deny', 'bedrock:InvokeModel', '*']) }),
    model, 'with an explicit deny in an identity-based policy'],
  ['an RCP of the resource\'s account denies', (store) => {
    store.attachRolePolicy(WORKLOAD, 'Fn', { name: 'assume', document: allow('sts:AssumeRole', '*') });
    store.registerAccount({
      accountId: WORKLOAD,
      organizationId: 'o-exampleorg1',
      resourceControlPolicies: [{ name: RCP_ARN, document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole', Resource: '*' }] } }],
    });
  }, `arn:aws:iam::${WORKLOAD}:role/Fn`, `with an explicit deny in a resource control policy: ${RCP_ARN}`],
  ['a global profile\'s region-less model ARN is not allowed', (store) => {
    store.putRole({ ...store.roleByName(WORKLOAD, 'Fn')!, policies: [{ name: 'p', document: allow('bedrock:InvokeModel', 'arn:aws:bedrock:us-east-1::foundation-model/*') }] });
  }, REGIONLESS, 'because no identity-based policy allows the bedrock:InvokeModel action'],
  ['an SCP denies the region-less model ARN', (store) => store.registerAccount({
    accountId: WORKLOAD, organizationId: 'o-exampleorg1', serviceControlPolicies: [{ name: SCP_ARN, document: policy(['Deny', 'bedrock:*', 'arn:aws:bedrock:::foundation-model/*']) }],
  }), REGIONLESS, `with an explicit deny in a service control policy: ${SCP_ARN}`],
])('%s', async (_, arrange, resource, reason) => {
  // GIVEN
  const { store, engine } = setUp();
  arrange(store);
  const action = resource.includes(':iam:') ? 'sts:AssumeRole' : 'bedrock:InvokeModel';

  // WHEN
  const decision = await engine.authorize({ principal: session(store, 'Fn'), action, resource, resourceAccount: WORKLOAD });

  // THEN
  expect(decision).toMatchObject({ allowed: false, reason });
});

test('the region-less model ARN a global profile needs is allowed by a policy that names it', async () => {
  const { store, engine } = setUp();
  store.putRole({ ...store.roleByName(WORKLOAD, 'Fn')!, policies: [{ name: 'p', document: allow('bedrock:InvokeModel', 'arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-6') }] });
  await expect(engine.authorize({ principal: session(store, 'Fn'), action: 'bedrock:InvokeModel', resource: REGIONLESS, resourceAccount: WORKLOAD }))
    .resolves.toEqual({ allowed: true });
});

test('a bedrock:GuardrailIdentifier condition requires the guardrail, by ARN and version', async () => {
  const { store, engine } = setUp();
  const guardrail = `arn:aws:bedrock:us-east-1:${WORKLOAD}:guardrail/gr0example01`;
  store.attachRolePolicy(WORKLOAD, 'Fn', {
    name: 'require-guardrail',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'bedrock:InvokeModel', Resource: '*', Condition: { StringNotEquals: { 'bedrock:GuardrailIdentifier': `${guardrail}:1` } } }] },
  });
  const ask = (context?: Record<string, string>) => engine.authorize({ principal: session(store, 'Fn'), action: 'bedrock:InvokeModel', resource: model, resourceAccount: WORKLOAD, context });
  await expect(ask()).resolves.toMatchObject({ allowed: false, reason: 'with an explicit deny in an identity-based policy' });
  await expect(ask({ 'bedrock:GuardrailIdentifier': `${guardrail}:DRAFT` })).resolves.toMatchObject({ allowed: false });
  await expect(ask({ 'bedrock:GuardrailIdentifier': `${guardrail}:1` })).resolves.toEqual({ allowed: true });
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
