import { AssumeRoleCommand, AssumeRoleCommandInput, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsEmulator, IssuedCredentials, ManualClock } from '../../../emulator';
import { allow, clientConfig, errorOf, EXTERNAL_ID, HUB, HUB_ROLE_ARN, HubTemplateOptions, OTHER, policy, startHubAndWorkload, stopChecked, WORKLOAD, WorkloadTemplateOptions } from '../fixtures';

let emulator: AwsEmulator;
let clock: ManualClock;

afterEach(() => stopChecked(emulator));

async function setUp(options: { hub?: HubTemplateOptions; workload?: WorkloadTemplateOptions } = {}): Promise<IssuedCredentials> {
  ({ emulator, clock } = await startHubAndWorkload(options));
  return emulator.lambdaCredentials('Handler');
}

function sts(credentials: IssuedCredentials): STSClient {
  return new STSClient(clientConfig(emulator, credentials));
}

function assumeHub(credentials: IssuedCredentials, input: Partial<AssumeRoleCommandInput> = {}): Promise<unknown> {
  return sts(credentials).send(new AssumeRoleCommand({ RoleArn: HUB_ROLE_ARN, RoleSessionName: 'Workload-Handler', ExternalId: EXTERNAL_ID, ...input }));
}

const trustWorkloadWithExternalId = {
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${WORKLOAD}:root` },
  Action: 'sts:AssumeRole',
  Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } },
};

describe('AssumeRole across accounts', () => {
  test('the Lambda role assumes the hub role with the external ID and gets hub credentials', async () => {
    // GIVEN
    const lambda = await setUp();

    // WHEN
    const assumed = await sts(lambda).send(new AssumeRoleCommand({ RoleArn: HUB_ROLE_ARN, RoleSessionName: 'Workload-Handler', ExternalId: EXTERNAL_ID }));

    // THEN
    expect(assumed.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${HUB}:assumed-role/BedrockHubRole/Workload-Handler`);
    expect(assumed.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z0-9]{17}:Workload-Handler$/);
    expect(assumed.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(assumed.Credentials?.Expiration?.getTime()).toBe(Math.floor(clock.now() / 1000) * 1000 + 3600_000);
    const hubCredentials = {
      accessKeyId: assumed.Credentials!.AccessKeyId!,
      secretAccessKey: assumed.Credentials!.SecretAccessKey!,
      sessionToken: assumed.Credentials!.SessionToken!,
    };
    const identity = await sts(hubCredentials).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: HUB, Arn: assumed.AssumedRoleUser?.Arn, UserId: assumed.AssumedRoleUser?.AssumedRoleId });
  });

  // STS answers every denied AssumeRole with the bare sentence: no reason clause, whichever side denied.
  const bare = new RegExp(`on resource: ${HUB_ROLE_ARN}$`);

  test.each<[string, { hub?: HubTemplateOptions; workload?: WorkloadTemplateOptions; input?: Partial<AssumeRoleCommandInput> }, RegExp]>([
    ['without the external ID the trust policy requires', { input: { ExternalId: undefined } }, bare],
    ['with a wrong external ID', { input: { ExternalId: 'another-external-id' } }, bare],
    ['when the trust policy trusts another account', { hub: { trustStatements: [{ ...trustWorkloadWithExternalId, Principal: { AWS: `arn:aws:iam::${OTHER}:root` } }] } },
      bare],
    ['when the caller\'s role lacks sts:AssumeRole', { workload: { rolePolicy: allow('s3:GetObject', '*') } }, bare],
    ['when the caller\'s sts:AssumeRole names another role (ARN and ExternalId pasted together)',
      { workload: { rolePolicy: allow('sts:AssumeRole', `${HUB_ROLE_ARN} ExternalId: ${EXTERNAL_ID}`) } }, bare],
    ['when an identity policy denies it explicitly', { workload: { rolePolicy: policy(['Allow', 'sts:AssumeRole', '*'], ['Deny', 'sts:AssumeRole', HUB_ROLE_ARN]) } },
      bare],
    ['when the trust policy denies it explicitly', { hub: { trustStatements: [trustWorkloadWithExternalId, { ...trustWorkloadWithExternalId, Effect: 'Deny', Condition: undefined }] } },
      bare],
  ])('is denied %s, with the bare sentence STS answers across accounts', async (_, scenario, reason) => {
    // GIVEN
    const lambda = await setUp(scenario);

    // WHEN
    const error = await errorOf(assumeHub(lambda, scenario.input));

    // THEN
    expect(error.name).toBe('AccessDenied');
    expect(error.$metadata?.httpStatusCode).toBe(403);
    expect(error.message).toMatch(new RegExp(`^User: arn:aws:sts::${WORKLOAD}:assumed-role/Workload-HandlerServiceRoleFCDC14AE-[A-Z0-9]{13}/Workload-Handler886CB40B-[A-Za-z0-9]{12} `
      + 'is not authorized to perform: sts:AssumeRole on resource: '));
    expect(error.message).toMatch(reason);
    expect(error.message).not.toContain(EXTERNAL_ID);
  });

  test('a role that does not exist is denied without blaming a trust policy', async () => {
    const lambda = await setUp({ workload: { rolePolicy: allow('sts:AssumeRole', '*') } });
    const error = await errorOf(assumeHub(lambda, { RoleArn: `arn:aws:iam::${HUB}:role/NoSuchRole` }));
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toMatch(/on resource: arn:aws:iam::222222222222:role\/NoSuchRole$/);
  });
});

describe('session duration', () => {
  test('role chaining (a role session calling AssumeRole) is capped at one hour', async () => {
    const lambda = await setUp({ hub: { maxSessionDurationSeconds: 43200 } });
    const error = await errorOf(assumeHub(lambda, { DurationSeconds: 3601 }));
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  });

  test.each([900, 3600])('a chained session of %i seconds is fine', async (seconds) => {
    const lambda = await setUp();
    const assumed = await assumeHub(lambda, { DurationSeconds: seconds }) as { Credentials: { Expiration: Date } };
    expect(assumed.Credentials.Expiration.getTime() - Math.floor(clock.now() / 1000) * 1000).toBe(seconds * 1000);
  });

  test.each<[number, number, string | undefined]>([
    [3600, 7200, 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'],
    [43200, 7200, undefined],
  ])('a user (no chaining) is capped by MaxSessionDuration %i (asking %i)', async (max, seconds, message) => {
    // GIVEN a user allowed to assume the hub role
    await setUp({ hub: { maxSessionDurationSeconds: max, trustStatements: [trustWorkloadWithExternalId] } });
    const user = emulator.createUser(WORKLOAD, 'operator', [{ name: 'assume', document: allow('sts:AssumeRole', HUB_ROLE_ARN) }]);

    // WHEN
    const outcome = await assumeHub(user, { DurationSeconds: seconds }).catch((error: Error) => error);

    // THEN
    if (message) {
      expect(outcome).toMatchObject({ name: 'ValidationError', message });
    } else {
      expect(outcome).not.toBeInstanceOf(Error);
    }
  });
});

describe('input validation', () => {
  test.each<[string, Partial<AssumeRoleCommandInput>, RegExp]>([
    ['a session name with a space', { RoleSessionName: 'has space' },
      /^1 validation error detected: Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: \[\\w\+=,\.@-\]\*$/],
    ['a session name longer than 64', { RoleSessionName: 'x'.repeat(65) }, /at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64/],
    ['a one-character external ID (its value is not repeated)', { ExternalId: 'Q' }, /^1 validation error detected: Value at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2$/],
    ['an external ID with a space', { ExternalId: 'secret value' }, /Value at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern/],
    ['a duration below 900', { DurationSeconds: 899 }, /Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900/],
    ['something that is not a role ARN', { RoleArn: 'BedrockHubRole-in-the-hub' }, /^BedrockHubRole-in-the-hub is invalid$/],
  ])('rejects %s with ValidationError', async (_, input, message) => {
    const lambda = await setUp();
    const error = await errorOf(assumeHub(lambda, input));
    expect(error.name).toBe('ValidationError');
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('secret value');
  });
});

describe('trust policy conditions', () => {
  test('same account: a trust policy naming the caller\'s role suffices without an identity policy', async () => {
    // GIVEN a role in the workload account that trusts the function's role by ARN
    const lambda = await setUp({ workload: { rolePolicy: allow('s3:GetObject', '*') } });
    const functionRole = emulator.lambdaFunction('Handler').roleArn;
    emulator.putRole({
      accountId: WORKLOAD,
      roleName: 'Local',
      trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: functionRole }, Action: 'sts:AssumeRole' }] },
    });

    // WHEN / THEN
    await expect(assumeHub(lambda, { RoleArn: `arn:aws:iam::${WORKLOAD}:role/Local`, ExternalId: undefined })).resolves.toBeDefined();
  });

  test.each<[string, Record<string, unknown>, boolean]>([
    ['aws:PrincipalOrgID of the caller\'s organization', { StringEquals: { 'aws:PrincipalOrgID': 'o-hubandworkload' } }, true],
    ['aws:PrincipalOrgID of another organization', { StringEquals: { 'aws:PrincipalOrgID': 'o-someoneelse' } }, false],
    ['aws:PrincipalArn matching the function role', { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${WORKLOAD}:role/Workload-HandlerServiceRole*` } }, true],
    ['aws:PrincipalArn of another role', { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${WORKLOAD}:role/Admin` } }, false],
    ['aws:PrincipalAccount', { StringEquals: { 'aws:PrincipalAccount': WORKLOAD } }, true],
    ['sts:RoleSessionName', { StringLike: { 'sts:RoleSessionName': 'Workload-*' } }, true],
    ['another sts:RoleSessionName', { StringLike: { 'sts:RoleSessionName': 'Admin-*' } }, false],
  ])('a trust condition on %s is evaluated', async (_, condition, allowed) => {
    // GIVEN both accounts in one organization, and a trust policy with the condition
    const lambda = await setUp({ hub: { trustStatements: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: condition }] } });
    emulator.registerAccount({ accountId: WORKLOAD, organizationId: 'o-hubandworkload' });

    // WHEN
    const outcome = await assumeHub(lambda, { ExternalId: undefined }).catch((error: Error) => error);

    // THEN
    expect(outcome instanceof Error ? outcome.name : 'allowed').toBe(allowed ? 'allowed' : 'AccessDenied');
  });

  test('session tags need sts:TagSession in the trust policy', async () => {
    // GIVEN a trust policy that allows sts:AssumeRole only
    const lambda = await setUp({ workload: { rolePolicy: allow(['sts:AssumeRole', 'sts:TagSession'], HUB_ROLE_ARN) } });

    // WHEN
    const error = await errorOf(assumeHub(lambda, { Tags: [{ Key: 'team', Value: 'search' }] }));

    // THEN
    expect(error.message).toMatch(new RegExp(`is not authorized to perform: sts:TagSession on resource: ${HUB_ROLE_ARN}$`));
  });

  test('a source identity is sticky through role chaining: the next role must allow sts:SetSourceIdentity though none is sent', async () => {
    // GIVEN a hub session with a source identity, and a next role that trusts the hub account for sts:AssumeRole only
    const tagging = ['sts:TagSession', 'sts:SetSourceIdentity'];
    const lambda = await setUp({
      hub: {
        trustStatements: [trustWorkloadWithExternalId, { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${WORKLOAD}:root` }, Action: tagging }],
        permissions: allow(['sts:AssumeRole', 'sts:SetSourceIdentity'], '*'),
      },
      workload: { rolePolicy: allow(['sts:AssumeRole', ...tagging], HUB_ROLE_ARN) },
    });
    const nextRole = `arn:aws:iam::${HUB}:role/Next`;
    const trustHub = (actions: string[]) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${HUB}:root` }, Action: actions }] });
    emulator.identities.putRole({ accountId: HUB, roleName: 'Next', trustPolicy: trustHub(['sts:AssumeRole']) });
    const assumed = await assumeHub(lambda, { SourceIdentity: 'alice' }) as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } };
    const { AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey, SessionToken: sessionToken } = assumed.Credentials;
    const hubSession = sts({ accessKeyId, secretAccessKey, sessionToken } as IssuedCredentials);

    // WHEN the hub session assumes the next role without sending a source identity
    const error = await errorOf(hubSession.send(new AssumeRoleCommand({ RoleArn: nextRole, RoleSessionName: 'chained' })));

    // THEN STS refuses sts:SetSourceIdentity, with its bare sentence; allowed, the source identity is carried on
    expect(error.message).toBe(`User: arn:aws:sts::${HUB}:assumed-role/BedrockHubRole/Workload-Handler is not authorized to perform: sts:SetSourceIdentity on resource: ${nextRole}`);
    emulator.identities.putRole({ accountId: HUB, roleName: 'Next', trustPolicy: trustHub(['sts:AssumeRole', 'sts:SetSourceIdentity']) });
    const chained = await hubSession.send(new AssumeRoleCommand({ RoleArn: nextRole, RoleSessionName: 'chained' }));
    expect(chained.SourceIdentity).toBe('alice');
  });

  test('session tags and a source identity are carried by the new session', async () => {
    // GIVEN trust and identity policies allowing tags and source identity (in their own trust
    // statement: sts:ExternalId is not a condition key of sts:TagSession or sts:SetSourceIdentity)
    const tagging = ['sts:TagSession', 'sts:SetSourceIdentity'];
    const lambda = await setUp({
      hub: { trustStatements: [trustWorkloadWithExternalId, { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${WORKLOAD}:root` }, Action: tagging }] },
      workload: { rolePolicy: allow(['sts:AssumeRole', ...tagging], HUB_ROLE_ARN) },
    });

    // WHEN
    const assumed = await assumeHub(lambda, { Tags: [{ Key: 'team', Value: 'search' }], TransitiveTagKeys: ['team'], SourceIdentity: 'alice' }) as {
      Credentials: { AccessKeyId: string }; SourceIdentity: string; PackedPolicySize: number;
    };

    // THEN
    expect(assumed.SourceIdentity).toBe('alice');
    expect(assumed.PackedPolicySize).toBeGreaterThan(0);
    const session = emulator.credentials.lookup(assumed.Credentials.AccessKeyId)!.principal;
    expect(session).toMatchObject({ type: 'AssumedRole', sourceIdentity: 'alice', tags: { team: 'search' }, transitiveTagKeys: ['team'] });
    expect(emulator.policies.principalContext(session)).toMatchObject({ 'aws:PrincipalTag/team': 'search', 'aws:SourceIdentity': 'alice' });
  });
});

test('GetCallerIdentity answers for the Lambda execution role session', async () => {
  const lambda = await setUp();
  const identity = await sts(lambda).send(new GetCallerIdentityCommand({}));
  const fn = emulator.lambdaFunction('Handler');
  expect(identity.Account).toBe(WORKLOAD);
  expect(identity.Arn).toBe(`arn:aws:sts::${WORKLOAD}:assumed-role/${fn.roleArn.split('/').pop()}/${fn.functionName}`);
});
