import { App, Aspects, CfnParameter, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CfnGuardrail } from 'aws-cdk-lib/aws-bedrock';
import { CfnRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BedrockHubRole, BedrockHubRoleProps } from '../src/bedrock-hub-role';
import { BedrockModel } from '../src/bedrock-model';
import { parseRoleArn } from '../src/contract';
import { AccessRequest, deploymentOf, evaluate, NamedPolicy, PolicyDocument, roleIn, RoleSession } from './support/iam';

const HUB = '999999999999';
const WORKLOAD = '111122223333';
const OTHER = '444455556666';
const EXTERNAL_ID = 'hub-pairing-7f3c9a2e';
const SONNET = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const US_SONNET = `us.${SONNET}`;
const US_DESTINATIONS = ['us-east-1', 'us-east-2', 'us-west-2'];
const GLOBAL_SONNET_45 = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0';
const WORKLOAD_PATTERN = `arn:aws:iam::${WORKLOAD}:role/WorkloadStack-*`;
const INVOKE = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];
/** Every kind of model, a guardrail and an agent alias, each named exactly: grants without a wildcard. */
const PINNED_GRANTS: Partial<BedrockHubRoleProps> = {
  models: [
    BedrockModel.foundationModel(SONNET),
    BedrockModel.crossRegionProfile(US_SONNET, { destinationRegions: US_DESTINATIONS }),
    BedrockModel.crossRegionProfile(GLOBAL_SONNET_45),
    BedrockModel.applicationInferenceProfile('a1b2c3d4e5f6', { routesTo: BedrockModel.foundationModel(SONNET) }),
  ],
  guardrails: ['gr12345abcde'],
  agentAliases: ['AGENT12345/ALIAS12345'],
};

function hubStack(env: { account?: string; region?: string } = { account: HUB, region: 'us-east-1' }): Stack {
  return new Stack(new App(), 'Hub', { env });
}

/** A hub role with a complete, valid trust configuration; `props` override it. */
function hubRole(props: Partial<BedrockHubRoleProps> = {}, stack: Stack = hubStack(), id = 'HubRole'): BedrockHubRole {
  return new BedrockHubRole(stack, id, {
    trustedAccounts: [WORKLOAD],
    trustedPrincipalArnPatterns: [WORKLOAD_PATTERN],
    externalId: EXTERNAL_ID,
    models: [BedrockModel.foundationModel(SONNET)],
    ...props,
  });
}

function statement(stack: Stack, sid: string): any {
  const role = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'))[0];
  const found = role.Properties.Policies[0].PolicyDocument.Statement.find((s: any) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
}

/** The template with every asset hash replaced, so the snapshot changes only when the template does. */
function withoutAssetHashes(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}/g, 'ASSET-HASH'));
}

describe('trust policy', () => {
  test('trusts the workload accounts, with the ExternalId and the principal patterns, for sts:AssumeRole only', () => {
    // GIVEN
    const stack = hubStack();

    // WHEN
    hubRole({}, stack);

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'BedrockHubRole',
      Path: '/',
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { AWS: `arn:aws:iam::${WORKLOAD}:root` },
          Condition: {
            StringEquals: { 'sts:ExternalId': EXTERNAL_ID },
            ArnLike: { 'aws:PrincipalArn': WORKLOAD_PATTERN },
          },
        }],
      },
    });
  });

  test('an organization alone: any principal, restricted to the organization', () => {
    // GIVEN
    const stack = hubStack();

    // WHEN
    hubRole({ trustedAccounts: undefined, trustedOrganizationId: 'o-a1b2c3d4e5', trustedPrincipalArnPatterns: ['arn:aws:iam::*:role/WorkloadStack-*'] }, stack);

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Principal: { AWS: '*' },
          Condition: {
            StringEquals: { 'sts:ExternalId': EXTERNAL_ID, 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
            ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/WorkloadStack-*' },
          },
        }],
      },
    });
  });

  test('accounts and an organization: the caller must be in both', () => {
    // GIVEN
    const stack = hubStack();

    // WHEN
    hubRole({ trustedAccounts: [WORKLOAD, OTHER, WORKLOAD], trustedOrganizationId: 'o-a1b2c3d4e5', trustedPrincipalArnPatterns: [] }, stack);

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Principal: { AWS: [`arn:aws:iam::${WORKLOAD}:root`, `arn:aws:iam::${OTHER}:root`] },
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' }, ArnLike: Match.absent() },
        }],
      },
    });
  });

  test('an ExternalId token (a NoEcho parameter) is used as is', () => {
    // GIVEN
    const stack = hubStack();
    const parameter = new CfnParameter(stack, 'ExternalId', { noEcho: true, allowedPattern: '[\\w+=,.@:/-]{2,1224}' });

    // WHEN
    const hub = hubRole({ externalId: parameter.valueAsString }, stack);

    // THEN
    expect(hub._trust.externalId).toBe(parameter.valueAsString);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } } }] },
    });
  });

  test('requireExternalId: false builds a trust policy without an ExternalId', () => {
    // GIVEN
    const stack = hubStack();

    // WHEN
    const hub = hubRole({ externalId: undefined, requireExternalId: false }, stack);

    // THEN
    expect(hub._trust.externalIdRequired).toBe(false);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Condition: { StringEquals: Match.absent(), ArnLike: Match.anyValue() } }] },
    });
  });

  test('keeps the trust configuration inspectable for the workload side', () => {
    // WHEN
    const hub = hubRole({ trustedOrganizationId: 'o-a1b2c3d4e5', regions: ['us-east-1', 'us-west-2'] });

    // THEN
    expect(hub._trust).toMatchObject({
      trustedAccounts: [WORKLOAD],
      trustedOrganizationId: 'o-a1b2c3d4e5',
      trustedPrincipalArnPatterns: [WORKLOAD_PATTERN],
      externalId: EXTERNAL_ID,
      externalIdRequired: true,
      allowsSessionTags: false,
      requiredSessionTagKeys: [],
      allowsSourceIdentity: false,
    });
    expect(hub).toMatchObject({ roleName: 'BedrockHubRole', path: '/', regions: ['us-east-1', 'us-west-2'] });
    expect(hub._trust.maxSessionDuration.toSeconds()).toBe(3600);
  });
});

describe('attribution: session tags and source identity', () => {
  function trustStatements(stack: Stack): any[] {
    const role = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'))[0];
    return role.Properties.AssumeRolePolicyDocument.Statement;
  }
  const principal = { AWS: `arn:aws:iam::${WORKLOAD}:root` };
  const arnLike = { 'aws:PrincipalArn': WORKLOAD_PATTERN };

  test('neither by default: the trust policy has the sts:AssumeRole statement only', () => {
    // GIVEN
    const stack = hubStack();

    // WHEN
    const hub = hubRole({}, stack);

    // THEN
    expect(trustStatements(stack).map((s) => s.Action)).toEqual(['sts:AssumeRole']);
    expect(hub._trust).toMatchObject({
      allowsSessionTags: false,
      allowedSessionTagKeys: undefined,
      requiredSessionTagKeys: [],
      allowsSourceIdentity: false,
      sourceIdentityPattern: undefined,
    });
  });

  test('allowSessionTags: a separate sts:TagSession statement for the same principals, the ExternalId if present', () => {
    // GIVEN
    const stack = hubStack();

    // WHEN
    const hub = hubRole({ allowSessionTags: true }, stack);

    // THEN
    expect(trustStatements(stack)).toEqual([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: principal, Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID }, ArnLike: arnLike } },
      { Effect: 'Allow', Action: 'sts:TagSession', Principal: principal, Condition: { ArnLike: arnLike, StringEqualsIfExists: { 'sts:ExternalId': EXTERNAL_ID } } },
    ]);
    expect(hub._trust.allowsSessionTags).toBe(true);
  });

  test('allowedSessionTagKeys: only those keys may be passed (and session tags are allowed)', () => {
    // GIVEN
    const stack = hubStack();

    // WHEN
    const hub = hubRole({ allowedSessionTagKeys: ['team', 'lambda-function'] }, stack);

    // THEN
    expect(trustStatements(stack)[1]).toEqual({
      Effect: 'Allow',
      Action: 'sts:TagSession',
      Principal: principal,
      Condition: {
        'ArnLike': arnLike,
        'StringEqualsIfExists': { 'sts:ExternalId': EXTERNAL_ID },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'lambda-function'] },
      },
    });
    expect(hub._trust).toMatchObject({ allowsSessionTags: true, allowedSessionTagKeys: ['team', 'lambda-function'] });
  });

  test('requiredSessionTagKeys: sts:AssumeRole requires each tag, so an untagged session is denied', () => {
    // GIVEN
    const stack = hubStack();

    // WHEN
    const hub = hubRole({ requiredSessionTagKeys: ['lambda-function', 'team'] }, stack);

    // THEN
    const [assume, tag] = trustStatements(stack);
    expect(assume.Condition).toEqual({
      StringEquals: { 'sts:ExternalId': EXTERNAL_ID },
      ArnLike: arnLike,
      Null: { 'aws:RequestTag/lambda-function': 'false', 'aws:RequestTag/team': 'false' },
    });
    expect(tag.Action).toBe('sts:TagSession');
    expect(hub._trust).toMatchObject({ allowsSessionTags: true, allowedSessionTagKeys: undefined, requiredSessionTagKeys: ['lambda-function', 'team'] });
  });

  test('allowSourceIdentity: a separate sts:SetSourceIdentity statement', () => {
    // GIVEN
    const stack = hubStack();

    // WHEN
    const hub = hubRole({ allowSourceIdentity: true }, stack);

    // THEN
    expect(trustStatements(stack)).toEqual([
      expect.objectContaining({ Action: 'sts:AssumeRole' }),
      { Effect: 'Allow', Action: 'sts:SetSourceIdentity', Principal: principal, Condition: { ArnLike: arnLike, StringEqualsIfExists: { 'sts:ExternalId': EXTERNAL_ID } } },
    ]);
    expect(hub._trust).toMatchObject({ allowsSourceIdentity: true, sourceIdentityPattern: undefined });
  });

  test('sourceIdentityPattern: required on sts:AssumeRole, and the only values sts:SetSourceIdentity accepts', () => {
    // GIVEN
    const stack = hubStack();

    // WHEN
    const hub = hubRole({ sourceIdentityPattern: 'orders-*', allowSessionTags: true }, stack);

    // THEN
    const [assume, tag, source] = trustStatements(stack);
    expect(assume.Condition.StringLike).toEqual({ 'sts:SourceIdentity': 'orders-*' });
    expect(tag.Action).toBe('sts:TagSession');
    expect(source).toMatchObject({ Action: 'sts:SetSourceIdentity', Condition: { StringLike: { 'sts:SourceIdentity': 'orders-*' } } });
    expect(hub._trust).toMatchObject({ allowsSourceIdentity: true, sourceIdentityPattern: 'orders-*' });
  });

  test('an organization-only trust and no ExternalId carry over to the extra statements', () => {
    // GIVEN
    const stack = hubStack();

    // WHEN
    hubRole({
      trustedAccounts: undefined,
      trustedOrganizationId: 'o-a1b2c3d4e5',
      trustedPrincipalArnPatterns: [],
      externalId: undefined,
      requireExternalId: false,
      allowSessionTags: true,
      allowSourceIdentity: true,
    }, stack);

    // THEN
    const orgOnly = { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } };
    expect(trustStatements(stack)).toEqual([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: '*' }, Condition: orgOnly },
      { Effect: 'Allow', Action: 'sts:TagSession', Principal: { AWS: '*' }, Condition: orgOnly },
      { Effect: 'Allow', Action: 'sts:SetSourceIdentity', Principal: { AWS: '*' }, Condition: orgOnly },
    ]);
  });

  const invalid: Array<[string, Partial<BedrockHubRoleProps>, RegExp]> = [
    ['allowSessionTags: false with allowed keys', { allowSessionTags: false, allowedSessionTagKeys: ['team'] }, /^BedrockHubRole '[^']+': allowSessionTags is false, but allowedSessionTagKeys is given\. Remove allowSessionTags/],
    ['allowSessionTags: false with required keys', { allowSessionTags: false, requiredSessionTagKeys: ['team'] }, /^BedrockHubRole '[^']+': allowSessionTags is false, but requiredSessionTagKeys is given/],
    ['no allowed key at all', { allowedSessionTagKeys: [] }, /^BedrockHubRole '[^']+': allowedSessionTagKeys is empty, which would allow session tags but no key/],
    ['more allowed keys than a session can carry', { allowedSessionTagKeys: Array.from({ length: 51 }, (_, i) => `k${i}`) }, /^BedrockHubRole '[^']+': allowedSessionTagKeys has 51 keys; a session carries at most 50 tags/],
    ['a reserved allowed key', { allowedSessionTagKeys: ['aws:team'] }, /^BedrockHubRole '[^']+': allowedSessionTagKeys\[0\]: tag key 'aws:team' starts with 'aws:', which is reserved\. Use a key such as/],
    ['an allowed key with a character STS refuses', { allowedSessionTagKeys: ['team', 'cost#center'] }, /^BedrockHubRole '[^']+': allowedSessionTagKeys\[1\]: tag key 'cost#center' has characters STS does not allow/],
    ['an allowed key of 129 characters', { allowedSessionTagKeys: ['k'.repeat(129)] }, /^BedrockHubRole '[^']+': allowedSessionTagKeys\[0\]: tag key 'k+' has 129 characters; STS allows 1 to 128/],
    ['allowed keys that differ only in case', { allowedSessionTagKeys: ['Team', 'team'] }, /^BedrockHubRole '[^']+': allowedSessionTagKeys\[1\] 'team' repeats allowedSessionTagKeys\[0\] 'Team'; STS treats tag keys case-insensitively/],
    ['an empty required key', { requiredSessionTagKeys: [''] }, /^BedrockHubRole '[^']+': requiredSessionTagKeys\[0\]: tag key '' has 0 characters/],
    ['a required key that is not allowed', { allowedSessionTagKeys: ['team'], requiredSessionTagKeys: ['team', 'Lambda-Function'] },
      /^BedrockHubRole '[^']+': requiredSessionTagKeys 'Lambda-Function' is not in allowedSessionTagKeys, so no session could satisfy both\. Add it to allowedSessionTagKeys/],
    ['allowSourceIdentity: false with a pattern', { allowSourceIdentity: false, sourceIdentityPattern: '*' }, /^BedrockHubRole '[^']+': allowSourceIdentity is false, but sourceIdentityPattern is given/],
    ['a pattern with a space', { sourceIdentityPattern: 'orders *' }, /^BedrockHubRole '[^']+': sourceIdentityPattern 'orders \*' is not a source identity pattern: 1 to 64 characters/],
    ['an empty pattern', { sourceIdentityPattern: '' }, /^BedrockHubRole '[^']+': sourceIdentityPattern '' is not a source identity pattern/],
    ['a pattern of 65 characters', { sourceIdentityPattern: 's'.repeat(65) }, /^BedrockHubRole '[^']+': sourceIdentityPattern 's+' is not a source identity pattern/],
    ['a reserved pattern', { sourceIdentityPattern: 'aws:*' }, /^BedrockHubRole '[^']+': sourceIdentityPattern 'aws:\*' (is not a source identity pattern|starts with 'aws:')/],
    ['a reserved pattern of valid characters', { sourceIdentityPattern: 'AWS:x' }, /^BedrockHubRole '[^']+': sourceIdentityPattern 'AWS:x' (is not a source identity pattern|starts with 'aws:')/],
  ];
  test.each(invalid)('bad input: %s', (_name, props, message) => {
    expect(() => hubRole(props)).toThrow(message);
  });

  test('token tag keys and patterns are refused: the workload side is checked against them at synth', () => {
    const stack = hubStack();
    const token = new CfnParameter(stack, 'Key').valueAsString;
    expect(() => hubRole({ allowedSessionTagKeys: [token] }, stack)).toThrow(/^BedrockHubRole '[^']+': allowedSessionTagKeys\[0\] is a token; .*give them literally/);
    expect(() => hubRole({ sourceIdentityPattern: token }, stack, 'Other')).toThrow(/^BedrockHubRole '[^']+': sourceIdentityPattern is a token/);
  });
});

describe('resource locality: account-scoped resources must be in the hub account', () => {
  const inAccount = (account: string) => ({
    guardrails: [`arn:aws:bedrock:us-east-1:${account}:guardrail/gr12345abcde`],
    agentAliases: [`arn:aws:bedrock:us-east-1:${account}:agent-alias/AGENT12345/ALIAS12345`],
    knowledgeBases: [`arn:aws:bedrock:us-east-1:${account}:knowledge-base/KB12345678`],
    models: [BedrockModel.applicationInferenceProfile(`arn:aws:bedrock:us-east-1:${account}:application-inference-profile/a1b2c3d4e5f6`, { routesTo: BedrockModel.foundationModel(SONNET) })],
  });
  const cases: Array<[keyof ReturnType<typeof inAccount>, string]> = [
    ['guardrails', 'Guardrails are account-scoped: callers act as the hub role, which cannot use another account\'s guardrail'],
    ['agentAliases', 'Agent aliases are account-scoped: callers act as the hub role, which cannot use another account\'s agent alias'],
    ['knowledgeBases', 'Knowledge bases are account-scoped: callers act as the hub role, which cannot use another account\'s knowledge base'],
    ['models', 'Application inference profiles are account-scoped: callers act as the hub role, which cannot use another account\'s application inference profile'],
  ];

  test.each(cases)('%s in another account are an error naming the account and the fix', (prop, message) => {
    expect(() => hubRole({ [prop]: inAccount(WORKLOAD)[prop] })).toThrow(
      `${prop}[0] 'arn:aws:bedrock:us-east-1:${WORKLOAD}:`,
    );
    expect(() => hubRole({ [prop]: inAccount(WORKLOAD)[prop] })).toThrow(
      `is in account ${WORKLOAD}, not in the hub account ${HUB}. ${message}. Create the`,
    );
  });

  test.each(cases)('%s in the hub account are granted', (prop) => {
    expect(() => hubRole({ [prop]: inAccount(HUB)[prop] })).not.toThrow();
  });
});

describe('role name and ARN', () => {
  test('roleArn is a plain string the workload side accepts, equal to the deployed role ARN', () => {
    // GIVEN
    const stack = hubStack();

    // WHEN
    const hub = hubRole({ roleName: 'TeamBedrockHub', path: '/bedrock/' }, stack);

    // THEN
    expect(hub.roleArn).toBe(`arn:aws:iam::${HUB}:role/bedrock/TeamBedrockHub`);
    expect(parseRoleArn(hub.roleArn)).toEqual({ partition: 'aws', account: HUB, path: '/bedrock/', roleName: 'TeamBedrockHub' });
    expect(roleIn(Template.fromStack(stack).toJSON(), { account: HUB, region: 'us-east-1' }).arn).toBe(hub.roleArn);
  });

  test('the partition follows the hub region', () => {
    // WHEN
    const hub = hubRole({ trustedPrincipalArnPatterns: [`arn:aws-cn:iam::${WORKLOAD}:role/WorkloadStack-*`] }, hubStack({ account: HUB, region: 'cn-north-1' }));

    // THEN
    expect(hub.roleArn).toBe(`arn:aws-cn:iam::${HUB}:role/BedrockHubRole`);
  });

  test('two hub roles in one stack need two names', () => {
    // GIVEN
    const stack = hubStack();
    hubRole({}, stack, 'First');

    // WHEN
    const second = hubRole({ roleName: 'SecondBedrockHubRole' }, stack, 'Second');

    // THEN
    expect(second.roleArn).toBe(`arn:aws:iam::${HUB}:role/SecondBedrockHubRole`);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 2);
  });

  test('an environment-agnostic stack gets a token roleArn and a warning', () => {
    // GIVEN
    const stack = hubStack({});

    // WHEN
    const hub = hubRole({}, stack);

    // THEN
    expect(stack.resolve(hub.roleArn)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/BedrockHubRole']] });
    Annotations.fromStack(stack).hasWarning('/Hub/HubRole', Match.stringLikeRegexp('roleArn contains CloudFormation tokens.*env'));
  });
});

describe('permissions', () => {
  test('a foundation model: invoke actions on its ARN in each of the role\'s regions, nothing else', () => {
    // GIVEN
    const stack = hubStack();

    // WHEN
    hubRole({ regions: ['us-east-1', 'us-west-2'] }, stack);

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      Policies: [{
        PolicyName: 'BedrockHubAccess',
        PolicyDocument: {
          Statement: [{
            Sid: 'InvokeFoundationModels',
            Effect: 'Allow',
            Action: INVOKE,
            Resource: [`arn:aws:bedrock:us-east-1::foundation-model/${SONNET}`, `arn:aws:bedrock:us-west-2::foundation-model/${SONNET}`],
          }],
        },
      }],
    });
  });

  test('a geographic cross-region profile: the profile in the hub account, the model in every destination, only through the profile', () => {
    // GIVEN
    const stack = hubStack();

    // WHEN
    hubRole({ models: [BedrockModel.crossRegionProfile(US_SONNET, { destinationRegions: US_DESTINATIONS })] }, stack);

    // THEN
    const profile = `arn:aws:bedrock:us-east-1:${HUB}:inference-profile/${US_SONNET}`;
    expect(statement(stack, 'InvokeInferenceProfiles')).toEqual({ Sid: 'InvokeInferenceProfiles', Effect: 'Allow', Action: INVOKE, Resource: profile });
    expect(statement(stack, 'GetInferenceProfiles')).toEqual({ Sid: 'GetInferenceProfiles', Effect: 'Allow', Action: 'bedrock:GetInferenceProfile', Resource: profile });
    expect(statement(stack, 'InvokeFoundationModelsThroughInferenceProfiles')).toEqual({
      Sid: 'InvokeFoundationModelsThroughInferenceProfiles',
      Effect: 'Allow',
      Action: INVOKE,
      Resource: US_DESTINATIONS.map((region) => `arn:aws:bedrock:${region}::foundation-model/${SONNET}`),
      Condition: { StringEquals: { 'bedrock:InferenceProfileArn': profile } },
    });
  });

  test('a global profile: also the region-less foundation-model ARN', () => {
    // GIVEN
    const stack = hubStack();

    // WHEN
    hubRole({ models: [BedrockModel.crossRegionProfile(GLOBAL_SONNET_45)] }, stack);

    // THEN
    expect(statement(stack, 'InvokeFoundationModelsThroughInferenceProfiles').Resource).toEqual([
      'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0',
      'arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0',
    ]);
  });

  test('allDestinationRegions: the model in any region, only through the profile, with the reason for cdk-nag', () => {
    // GIVEN
    const stack = hubStack();

    // WHEN
    hubRole({ models: [BedrockModel.crossRegionProfile(US_SONNET, { allDestinationRegions: true })] }, stack);

    // THEN
    expect(statement(stack, 'InvokeFoundationModelsThroughInferenceProfiles')).toMatchObject({
      Resource: `arn:aws:bedrock:*::foundation-model/${SONNET}`,
      Condition: { StringEquals: { 'bedrock:InferenceProfileArn': `arn:aws:bedrock:us-east-1:${HUB}:inference-profile/${US_SONNET}` } },
    });
    Template.fromStack(stack).hasResource('AWS::IAM::Role', {
      Metadata: { cdk_nag: { rules_to_suppress: [{ id: 'AwsSolutions-IAM5', reason: Match.stringLikeRegexp('allDestinationRegions was chosen explicitly'), applies_to: [{ regex: Match.anyValue() }] }] } },
    });
  });

  test('an application inference profile by id: formed in the hub account, with its model only through it', () => {
    // GIVEN
    const stack = hubStack();

    // WHEN
    hubRole({ models: [BedrockModel.applicationInferenceProfile('a1b2c3d4e5f6', { routesTo: BedrockModel.foundationModel(SONNET) })] }, stack);

    // THEN
    const profile = `arn:aws:bedrock:us-east-1:${HUB}:application-inference-profile/a1b2c3d4e5f6`;
    expect(statement(stack, 'InvokeInferenceProfiles').Resource).toBe(profile);
    expect(statement(stack, 'GetInferenceProfiles').Resource).toBe(profile);
    expect(statement(stack, 'InvokeFoundationModelsThroughInferenceProfiles')).toMatchObject({
      Resource: `arn:aws:bedrock:us-east-1::foundation-model/${SONNET}`,
      Condition: { StringEquals: { 'bedrock:InferenceProfileArn': profile } },
    });
    expect(() => statement(stack, 'InvokeFoundationModels')).toThrow(/no statement/);
  });

  test('an application inference profile ARN routing to a cross-region profile: its model is called in the ARN\'s region', () => {
    // GIVEN
    const stack = hubStack();
    const profile = `arn:aws:bedrock:us-west-2:${HUB}:application-inference-profile/a1b2c3d4e5f6`;

    // WHEN
    hubRole({
      models: [BedrockModel.applicationInferenceProfile(profile, {
        routesTo: BedrockModel.crossRegionProfile(US_SONNET, { destinationRegions: US_DESTINATIONS }),
      })],
    }, stack);

    // THEN
    const system = `arn:aws:bedrock:us-west-2:${HUB}:inference-profile/${US_SONNET}`;
    expect(statement(stack, 'InvokeInferenceProfiles').Resource).toEqual([profile, system]);
    expect(statement(stack, 'InvokeFoundationModelsThroughInferenceProfiles').Condition).toEqual({
      StringEquals: { 'bedrock:InferenceProfileArn': [system, profile] },
    });
  });

  test('guardrails, agent aliases and knowledge bases by id, by ARN and by token', () => {
    // GIVEN
    const stack = hubStack();
    const guardrail = new CfnGuardrail(stack, 'Guardrail', { name: 'hub', blockedInputMessaging: 'blocked', blockedOutputsMessaging: 'blocked' });

    // WHEN
    const hub = hubRole({
      guardrails: ['gr12345abcde', guardrail.attrGuardrailArn],
      agentAliases: ['AGENT12345/ALIAS12345', `arn:aws:bedrock:us-east-1:${HUB}:agent-alias/AGENT67890/TSTALIASID`],
      knowledgeBases: ['KB12345678'],
    }, stack);

    // THEN
    expect(statement(stack, 'ApplyGuardrails')).toEqual({
      Sid: 'ApplyGuardrails',
      Effect: 'Allow',
      Action: 'bedrock:ApplyGuardrail',
      Resource: [`arn:aws:bedrock:us-east-1:${HUB}:guardrail/gr12345abcde`, { 'Fn::GetAtt': ['Guardrail', 'GuardrailArn'] }],
    });
    expect(statement(stack, 'InvokeAgentAliases')).toMatchObject({
      Action: 'bedrock:InvokeAgent',
      Resource: [`arn:aws:bedrock:us-east-1:${HUB}:agent-alias/AGENT12345/ALIAS12345`, `arn:aws:bedrock:us-east-1:${HUB}:agent-alias/AGENT67890/TSTALIASID`],
    });
    expect(statement(stack, 'RetrieveFromKnowledgeBases')).toMatchObject({ Action: 'bedrock:Retrieve', Resource: `arn:aws:bedrock:us-east-1:${HUB}:knowledge-base/KB12345678` });
    expect(statement(stack, 'RetrieveAndGenerate')).toMatchObject({ Action: 'bedrock:RetrieveAndGenerate', Resource: '*' });
    expect(hub.role.node.defaultChild).toBeInstanceOf(CfnRole);
  });

  test('OpenAI-compatible inference: the bedrock-mantle actions on the hub account\'s projects', () => {
    // GIVEN
    const stack = hubStack();

    // WHEN
    hubRole({ openAiCompatibleInference: true, regions: ['us-east-1', 'us-west-2'] }, stack);

    // THEN
    expect(statement(stack, 'OpenAiCompatibleInference')).toEqual({
      Sid: 'OpenAiCompatibleInference',
      Effect: 'Allow',
      Action: ['bedrock-mantle:CreateInference', 'bedrock-mantle:GetProject', 'bedrock-mantle:ListProjects', 'bedrock-mantle:ListTagsForResource'],
      Resource: [`arn:aws:bedrock-mantle:us-east-1:${HUB}:project/*`, `arn:aws:bedrock-mantle:us-west-2:${HUB}:project/*`],
    });
  });

  test('a cross-region guardrail: the guardrail, and its guardrail profile in the source and every destination region, in the hub account', () => {
    // GIVEN
    const stack = hubStack();

    // WHEN
    hubRole({ crossRegionGuardrails: [{ guardrail: 'gr12345abcde', guardrailProfileId: 'us.guardrail.v1:0', destinationRegions: US_DESTINATIONS }] }, stack);

    // THEN
    expect(statement(stack, 'ApplyGuardrails')).toEqual({
      Sid: 'ApplyGuardrails',
      Effect: 'Allow',
      Action: 'bedrock:ApplyGuardrail',
      Resource: [
        `arn:aws:bedrock:us-east-1:${HUB}:guardrail/gr12345abcde`,
        `arn:aws:bedrock:us-east-1:${HUB}:guardrail-profile/us.guardrail.v1:0`,
        `arn:aws:bedrock:us-east-2:${HUB}:guardrail-profile/us.guardrail.v1:0`,
        `arn:aws:bedrock:us-west-2:${HUB}:guardrail-profile/us.guardrail.v1:0`,
      ],
    });
  });

  test('a cross-region guardrail with a malformed profile id or no destination regions fails at synth', () => {
    expect(() => hubRole({ crossRegionGuardrails: [{ guardrail: 'gr12345abcde', guardrailProfileId: 'us.anthropic.claude', destinationRegions: US_DESTINATIONS }] }))
      .toThrow(/crossRegionGuardrails\[0\]\.guardrailProfileId 'us\.anthropic\.claude' is not a guardrail profile id: it looks like 'us\.guardrail\.v1:0'/);
    expect(() => hubRole({ crossRegionGuardrails: [{ guardrail: 'gr12345abcde', guardrailProfileId: 'us.guardrail.v1:0', destinationRegions: [] }] }))
      .toThrow(/crossRegionGuardrails\[0\]\.destinationRegions is empty/);
    expect(() => hubRole({ crossRegionGuardrails: [{ guardrail: `arn:aws:bedrock:us-east-1:${OTHER}:guardrail/gr12345abcde`, guardrailProfileId: 'us.guardrail.v1:0', destinationRegions: US_DESTINATIONS }] }))
      .toThrow(/crossRegionGuardrails\[0\]\.guardrail .* is in account 444455556666, not in the hub account/);
  });

  test('model subscription: off by default; allowModelSubscription allows the Marketplace actions only when Bedrock calls them', () => {
    // GIVEN
    const off = hubStack();
    const on = hubStack();

    // WHEN
    hubRole({}, off);
    hubRole({ allowModelSubscription: true }, on);

    // THEN
    expect(() => statement(off, 'SubscribeToModelsThroughBedrock')).toThrow(/no statement/);
    expect(statement(on, 'SubscribeToModelsThroughBedrock')).toEqual({
      Sid: 'SubscribeToModelsThroughBedrock',
      Effect: 'Allow',
      Action: ['aws-marketplace:ViewSubscriptions', 'aws-marketplace:Subscribe'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:CalledViaLast': 'bedrock.amazonaws.com' } },
    });
  });

  test('a geography prefix not known yet is accepted, with its destinations given', () => {
    // GIVEN
    const stack = hubStack();

    // WHEN
    hubRole({ models: [BedrockModel.crossRegionProfile(`zz.${SONNET}`, { destinationRegions: ['us-east-1', 'us-west-2'] })] }, stack);

    // THEN
    expect(statement(stack, 'InvokeInferenceProfiles').Resource).toBe(`arn:aws:bedrock:us-east-1:${HUB}:inference-profile/zz.${SONNET}`);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('addModels() after construction extends the same statements, without duplicates', () => {
    // GIVEN
    const stack = hubStack();
    const hub = hubRole({}, stack);

    // WHEN
    hub.addModels(BedrockModel.foundationModel(SONNET), BedrockModel.foundationModel('amazon.nova-pro-v1:0'));

    // THEN
    expect(statement(stack, 'InvokeFoundationModels').Resource).toEqual([
      `arn:aws:bedrock:us-east-1::foundation-model/${SONNET}`,
      'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0',
    ]);
  });

  test('a role that grants nothing fails at synth', () => {
    // GIVEN
    const stack = hubStack();

    // WHEN
    hubRole({ models: [] }, stack);

    // THEN
    expect(() => Template.fromStack(stack)).toThrow(/BedrockHubRole grants nothing: give models/);
  });

});

describe('bad input fails at synth, naming the property and the fix', () => {
  const otherAccountGuardrail = `arn:aws:bedrock:us-east-1:${OTHER}:guardrail/gr12345abcde`;
  const cases: Array<[string, Partial<BedrockHubRoleProps>, RegExp]> = [
    ['no one to trust', { trustedAccounts: [] }, /trustedAccounts \/ trustedOrganizationId: neither is given.*List the workload account ids in trustedAccounts/],
    ['a short account id', { trustedAccounts: ['12345'] }, /trustedAccounts\[0\] '12345' is not a 12-digit AWS account id: give the workload account id with all 12 digits/],
    ['an organization root id', { trustedOrganizationId: 'r-ab12' }, /trustedOrganizationId 'r-ab12' is not an AWS Organizations id: it is 'o-' followed by/],
    ['a pattern for an untrusted account', { trustedPrincipalArnPatterns: [`arn:aws:iam::${OTHER}:role/WorkloadStack-*`] },
      /trustedPrincipalArnPatterns\[0\] .* can never match: its account 444455556666 is not in trustedAccounts \(111122223333\)\. Add 444455556666 to trustedAccounts/],
    ['a session ARN as pattern', { trustedPrincipalArnPatterns: [`arn:aws:sts::${WORKLOAD}:assumed-role/WorkloadStack-Fn/session`] },
      /trustedPrincipalArnPatterns\[0\] .* is an assumed-role session ARN.*Use arn:aws:iam::111122223333:role\/WorkloadStack-Fn/],
    ['a pattern with whitespace', { trustedPrincipalArnPatterns: [`${WORKLOAD_PATTERN} ExternalId: s3cr3t`] }, /trustedPrincipalArnPatterns\[0\] contains whitespace \(at character 47\); an ARN pattern has none\. Give the role ARN pattern alone/],
    ['a user as pattern', { trustedPrincipalArnPatterns: [`arn:aws:iam::${WORKLOAD}:user/deployer`] }, /trustedPrincipalArnPatterns\[0\] .* is not a role ARN pattern \(the resource must start with 'role\/'/],
    ['a pattern with a region', { trustedPrincipalArnPatterns: [`arn:aws:iam:us-east-1:${WORKLOAD}:role/WorkloadStack-*`] }, /trustedPrincipalArnPatterns\[0\] .* names a region \('us-east-1'\); IAM ARNs have none/],
    ['a pattern in another partition', { trustedPrincipalArnPatterns: [`arn:aws-cn:iam::${WORKLOAD}:role/WorkloadStack-*`] }, /trustedPrincipalArnPatterns\[0\] .* can never match: it is in the partition 'aws-cn', but the hub role is in 'aws'/],
    ['a pattern with a bad account', { trustedPrincipalArnPatterns: ['arn:aws:iam::1111-2222-3333:role/WorkloadStack-*'] }, /trustedPrincipalArnPatterns\[0\] .* has the account '1111-2222-3333', which is neither 12 digits nor '\*'/],
    ['a pattern without a role name', { trustedPrincipalArnPatterns: [`arn:aws:iam::${WORKLOAD}:role/`] }, /trustedPrincipalArnPatterns\[0\] .* has no usable role name after 'role\/'/],
    ['a pattern that is no ARN', { trustedPrincipalArnPatterns: ['WorkloadStack-*'] }, /trustedPrincipalArnPatterns\[0\] 'WorkloadStack-\*' is not an ARN pattern/],
    ['a pattern in an unknown partition', { trustedPrincipalArnPatterns: [`arn:amazon:iam::${WORKLOAD}:role/X`] }, /trustedPrincipalArnPatterns\[0\] .* has the unknown partition 'amazon': use one of aws, aws-cn/],
    ['a pattern of another service', { trustedPrincipalArnPatterns: [`arn:aws:lambda::${WORKLOAD}:function/X`] }, /trustedPrincipalArnPatterns\[0\] .* is not an IAM role ARN pattern \(its service is 'lambda'\)/],
    ['no ExternalId', { externalId: undefined }, /externalId is required.*Pass externalId.*or set requireExternalId: false/],
    ['a one-character ExternalId', { externalId: 'x' }, /externalId has 1 characters; STS requires 2 to 1224\. Choose another value/],
    ['an ExternalId and requireExternalId: false', { requireExternalId: false }, /externalId \/ requireExternalId: an externalId is given but requireExternalId is false/],
    ['a session shorter than an hour', { maxSessionDuration: Duration.minutes(30) }, /maxSessionDuration is 30 minutes; IAM allows a whole number of seconds from 1 hour to 12 hours/],
    ['a session longer than 12 hours', { maxSessionDuration: Duration.hours(13) }, /maxSessionDuration is 13 hours; IAM allows/],
    ['a role name with a space', { roleName: 'Bedrock Hub' }, /roleName 'Bedrock Hub' contains whitespace; IAM allows letters, digits and \+ = , \. @ _ -\. Choose another name/],
    ['a role name of 65 characters', { roleName: 'R'.repeat(65) }, /roleName 'R+' has 65 characters; IAM allows 1 to 64/],
    ['a role path without slashes', { path: 'bedrock' }, /path 'bedrock' is not an IAM role path: it must be '\/' or start and end with '\/'/],
    ['a malformed region', { regions: ['us-east'] }, /regions\[0\]: 'us-east' is not an AWS region code/],
    ['no regions', { regions: [] }, /regions is empty: give the regions in which callers use Bedrock/],
    ['a region of another partition', { regions: ['cn-north-1'] }, /regions\[0\]: the region 'cn-north-1' is in the partition 'aws-cn', but the hub role is in 'aws'/],
    ['a guardrail of another account', { guardrails: [otherAccountGuardrail] },
      /guardrails\[0\] .* is in account 444455556666, not in the hub account 999999999999\. Guardrails are account-scoped.*Create the guardrail in the hub account/],
    ['a guardrail in another partition', { guardrails: [`arn:aws-us-gov:bedrock:us-gov-west-1:${HUB}:guardrail/gr12345abcde`] }, /guardrails\[0\] .* is in the partition 'aws-us-gov', but the hub role is in 'aws'/],
    ['a knowledge-base ARN as guardrail', { guardrails: [`arn:aws:bedrock:us-east-1:${HUB}:knowledge-base/KB12345678`] }, /guardrails\[0\] .* is not a guardrail ARN: it should look like arn:aws:bedrock:us-east-1:111122223333:guardrail/],
    ['a malformed guardrail id', { guardrails: ['Guardrail_1'] }, /guardrails\[0\] 'Guardrail_1' is neither a guardrail id .* nor its ARN/],
    ['a guardrail id with whitespace', { guardrails: ['gr12345abcde v1'] }, /guardrails\[0\] contains whitespace \(at character 13\)/],
    ['a knowledge base of another account', { knowledgeBases: [`arn:aws:bedrock:us-east-1:${OTHER}:knowledge-base/KB12345678`] }, /knowledgeBases\[0\] .* is in account 444455556666, not in the hub account.*Knowledge bases are account-scoped/],
    ['an agent alias without the alias', { agentAliases: ['AGENT12345'] }, /agentAliases\[0\] 'AGENT12345' is neither an agent alias id \('<agent id>\/<alias id>'/],
    ['an application inference profile of another account', { models: [BedrockModel.applicationInferenceProfile(`arn:aws:bedrock:us-east-1:${OTHER}:application-inference-profile/a1b2c3d4e5f6`)] },
      /models\[0\] .* is in account 444455556666, not in the hub account 999999999999\. Application inference profiles are account-scoped/],
    ['a destination region of another partition', { models: [BedrockModel.crossRegionProfile(US_SONNET, { destinationRegions: ['us-gov-west-1'] })] },
      /models\[0\]\.destinationRegions\[0\]: the region 'us-gov-west-1' is in the partition 'aws-us-gov'/],
    ['a model region of another partition', { models: [BedrockModel.foundationModel(SONNET, { regions: ['cn-northwest-1'] })] }, /models\[0\]\.regions\[0\]: the region 'cn-northwest-1' is in the partition 'aws-cn'/],
  ];

  test.each(cases)('%s', (_name, props, message) => {
    expect(() => hubRole(props)).toThrow(message);
  });

  test('a bad ExternalId is never repeated in the error', () => {
    expect(() => hubRole({ externalId: 'pasted Xq7Zr9 value' })).toThrow(/^BedrockHubRole '[^']+': externalId contains whitespace; STS allows only .*the value itself is not shown/);
    expect(() => hubRole({ externalId: 'pasted Xq7Zr9 value' })).not.toThrow(/pasted|Xq7Zr9/);
    expect(() => hubRole({ externalId: 'Xq7Zr9#' })).not.toThrow(/Xq7Zr9/);
  });

  test('whitespace in a principal pattern is reported without what follows it', () => {
    expect(() => hubRole({ trustedPrincipalArnPatterns: [`${WORKLOAD_PATTERN} ExternalId: s3cr3t`] })).not.toThrow(/s3cr3t/);
  });

  test('a second role with the same name in the same account, even in another stack, is refused', () => {
    // GIVEN
    const app = new App();
    hubRole({}, new Stack(app, 'HubA', { env: { account: HUB, region: 'us-east-1' } }));

    // THEN
    expect(() => hubRole({ roleName: 'bedrockhubrole' }, new Stack(app, 'HubB', { env: { account: HUB, region: 'eu-west-1' } })))
      .toThrow(/roleName 'bedrockhubrole' is already used by the BedrockHubRole at 'HubA\/HubRole' in the same account; IAM role names are unique per account \(case-insensitive\)\. Give this one another roleName/);
    expect(() => hubRole({}, new Stack(app, 'HubC', { env: { account: OTHER, region: 'us-east-1' } }))).not.toThrow();
  });

  test('errors from add*() name the index the item has among all the role\'s items', () => {
    // GIVEN
    const hub = hubRole({ guardrails: ['gr12345abcde'] });

    // THEN
    expect(() => hub.addModels(BedrockModel.applicationInferenceProfile(`arn:aws:bedrock:us-east-1:${OTHER}:application-inference-profile/a1b2c3d4e5f6`)))
      .toThrow(/^BedrockHubRole '[^']+': models\[1\] .* is in account 444455556666/);
    expect(() => hub.addGuardrails('gr12345abcde', 'BAD!')).toThrow(/^BedrockHubRole '[^']+': guardrails\[2\] 'BAD!' is neither a guardrail id/);
  });

  test('a hub stack whose account is not 12 digits cannot form a usable role ARN', () => {
    expect(() => hubRole({}, hubStack({ account: '12345', region: 'us-east-1' })))
      .toThrow(/^BedrockHubRole '[^']+': roleArn: the hub stack's partition and account, the path and the roleName form 'arn:aws:iam::12345:role\/BedrockHubRole'.*not 12 digits.*Check the hub stack's env\.account/);
  });

  test('a token path is refused', () => {
    expect(() => hubRole({ path: Lazy.string({ produce: () => '/x/' }) })).toThrow(/^BedrockHubRole '[^']+': path is a token; the role ARN is formed from it at synth time/);
  });

  test('a token role name is refused', () => {
    const stack = hubStack();
    const name = new CfnParameter(stack, 'RoleName').valueAsString;
    expect(() => hubRole({ roleName: name }, stack)).toThrow(/roleName is a token; the role must have a fixed name/);
  });
});

describe('warnings a user may acknowledge', () => {
  test('none for the recommended configuration', () => {
    const stack = hubStack();
    hubRole({}, stack);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('requireExternalId: false: confused-deputy protection is off', () => {
    const stack = hubStack();
    hubRole({ externalId: undefined, requireExternalId: false }, stack);
    Annotations.fromStack(stack).hasWarning('/Hub/HubRole', Match.stringLikeRegexp('requireExternalId is false.*confused-deputy protection is off.*\\[ack: bedrock-hub-access:externalIdNotRequired\\]'));
  });

  test('a session longer than an hour: role chaining caps Lambda at one', () => {
    const stack = hubStack();
    hubRole({ maxSessionDuration: Duration.hours(4) }, stack);
    Annotations.fromStack(stack).hasWarning('/Hub/HubRole', Match.stringLikeRegexp('maxSessionDuration is 4 hours, but a Lambda function .*role chaining.*caps at 1 hour'));
  });

  test('no principal patterns: the whole account may assume it', () => {
    const stack = hubStack();
    hubRole({ trustedPrincipalArnPatterns: [] }, stack);
    Annotations.fromStack(stack).hasWarning('/Hub/HubRole', Match.stringLikeRegexp('Any principal of the accounts 111122223333.*Narrow it .* trustedPrincipalArnPatterns'));
  });

  test('an application inference profile without the model behind it', () => {
    const stack = hubStack();
    hubRole({ models: [BedrockModel.applicationInferenceProfile('a1b2c3d4e5f6')] }, stack);
    Annotations.fromStack(stack).hasWarning('/Hub/HubRole', Match.stringLikeRegexp('models\\[0\\]: Bedrock also authorizes the model behind .*Pass routesTo'));
  });

  test('a destination region outside the profile\'s geography', () => {
    const stack = hubStack();
    hubRole({ models: [BedrockModel.crossRegionProfile(US_SONNET, { destinationRegions: ['us-east-1', 'eu-west-1'] })] }, stack);
    Annotations.fromStack(stack).hasWarning('/Hub/HubRole', Match.stringLikeRegexp("destination region 'eu-west-1' is outside the US geography"));
  });
});

describe('cdk-nag AwsSolutions', () => {
  function nagErrors(stack: Stack): string[] {
    Aspects.of(stack).add(new AwsSolutionsChecks());
    return Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-')).map((m) => String(m.entry.data));
  }

  test('the least-privilege role passes without any suppression', () => {
    // GIVEN
    const stack = hubStack();
    hubRole(PINNED_GRANTS, stack);

    // THEN
    expect(nagErrors(stack)).toEqual([]);
    Template.fromStack(stack).hasResource('AWS::IAM::Role', { Metadata: Match.absent() });
  });

  test('wildcards the user asked for pass, each with its own reason', () => {
    // GIVEN
    const stack = hubStack();
    hubRole({
      models: [BedrockModel.allFoundationModels(), BedrockModel.crossRegionProfile(US_SONNET, { allDestinationRegions: true })],
      knowledgeBases: ['KB12345678'],
      openAiCompatibleInference: true,
      allowModelSubscription: true,
    }, stack);

    // THEN
    expect(nagErrors(stack)).toEqual([]);
    const role = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'))[0];
    expect(role.Metadata.cdk_nag.rules_to_suppress.map((r: any) => r.reason)).toEqual([
      expect.stringMatching(/^BedrockModel\.allFoundationModels\(\) was chosen explicitly/),
      expect.stringMatching(/^allDestinationRegions was chosen explicitly/),
      expect.stringMatching(/^bedrock:RetrieveAndGenerate supports no resource-level permissions/),
      expect.stringMatching(/^openAiCompatibleInference was enabled explicitly/),
      expect.stringMatching(/^allowModelSubscription was enabled explicitly/),
    ]);
  });

  test('the suppressions are narrow: a wildcard nobody asked for is still reported', () => {
    // GIVEN
    const stack = hubStack();
    const hub = hubRole({ models: [BedrockModel.allFoundationModels()], knowledgeBases: ['KB12345678'] }, stack);

    // WHEN: a wildcard in the same role's inline policies, and one in a policy attached to it
    const cfnRole = hub.role.node.defaultChild as CfnRole;
    cfnRole.policies = [...(cfnRole.policies as CfnRole.PolicyProperty[]), {
      policyName: 'Extra',
      policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: `arn:aws:bedrock:us-east-1:${HUB}:custom-model/*` }] },
    }];
    hub.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['bedrock:GetGuardrail'], resources: [`arn:aws:bedrock:us-east-1:${HUB}:guardrail/*`] }));

    // THEN
    expect(nagErrors(stack)).toEqual([
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::arn:aws:bedrock:us-east-1:999999999999:custom-model\/\*\]/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::arn:aws:bedrock:us-east-1:999999999999:guardrail\/\*\]/),
    ]);
  });

  test('suppressions match token ARNs of an environment-agnostic stack', () => {
    // GIVEN
    const stack = hubStack({});
    hubRole({ models: [BedrockModel.allFoundationModels()], openAiCompatibleInference: true }, stack);

    // THEN
    expect(nagErrors(stack)).toEqual([]);
  });
});

test('snapshot', () => {
  // GIVEN
  const stack = hubStack();

  // WHEN
  hubRole({
    ...PINNED_GRANTS,
    knowledgeBases: ['KB12345678'],
    openAiCompatibleInference: true,
  }, stack);

  // THEN
  expect(withoutAssetHashes(Template.fromStack(stack).toJSON())).toMatchSnapshot();
});

// ---------------------------------------------------------------------------
// The synthesized policies, evaluated by an IAM policy engine
// ---------------------------------------------------------------------------

describe('IAM policy engine: who may assume the hub role', () => {
  const stack = hubStack();
  const hub = hubRole({}, stack);
  const trust = roleIn(Template.fromStack(stack).toJSON(), { account: HUB, region: 'us-east-1' }).trustPolicy;

  /** What the workload side grants its function role: sts:AssumeRole on exactly the hub role. */
  const mayAssumeHub: NamedPolicy[] = [{
    name: 'AssumeBedrockHubRole',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: hub.roleArn }] },
  }];
  const workloadFunction: RoleSession = { roleArn: `arn:aws:iam::${WORKLOAD}:role/WorkloadStack-HandlerServiceRoleA1B2C3-X9Y8Z7W6V5U4`, sessionName: 'WorkloadStack-Handler' };

  function assume(caller: RoleSession, externalId: string | undefined, identityPolicies = mayAssumeHub, trustPolicy: PolicyDocument = trust) {
    return evaluate({
      caller,
      action: 'sts:AssumeRole',
      resource: hub.roleArn,
      identityPolicies,
      resourcePolicy: trustPolicy,
      context: externalId === undefined ? {} : { 'sts:ExternalId': externalId },
    });
  }

  test('allowed: a workload function role matching the pattern, with the ExternalId', async () => {
    const result = await assume(workloadFunction, EXTERNAL_ID);
    expect(result).toMatchObject({ decision: 'Allowed' });
    expect(result.reasons).toEqual(['identity policy \'AssumeBedrockHubRole\' statement 1', 'resource policy statement 1']);
  });

  test.each<[string, RoleSession, string | undefined]>([
    ['without the ExternalId', workloadFunction, undefined],
    ['with the wrong ExternalId', workloadFunction, 'hub-pairing-00000000'],
    ['from another account, even with a matching name and the ExternalId', { roleArn: `arn:aws:iam::${OTHER}:role/WorkloadStack-HandlerServiceRoleA1B2C3-X9Y8Z7W6V5U4` }, EXTERNAL_ID],
    ['for a role of the workload account that does not match the pattern', { roleArn: `arn:aws:iam::${WORKLOAD}:role/OtherStack-HandlerServiceRole-ABC` }, EXTERNAL_ID],
    ['for a matching name under another path', { roleArn: `arn:aws:iam::${WORKLOAD}:role/team/WorkloadStack-Handler` }, EXTERNAL_ID],
  ])('denied by the trust policy: %s', async (_name, caller, externalId) => {
    const result = await assume(caller, externalId);
    expect(result).toMatchObject({ decision: 'ImplicitlyDenied', reasons: ['no statement of the resource policy allows it'] });
  });

  test('denied when the workload account does not allow its role to assume the hub role', async () => {
    const result = await assume(workloadFunction, EXTERNAL_ID, []);
    expect(result).toMatchObject({ decision: 'ImplicitlyDenied', reasons: ['no statement of the identity policy allows it'] });
  });

  test('an organization trust admits members of the organization only', async () => {
    const orgStack = hubStack();
    const orgHub = hubRole({ trustedAccounts: undefined, trustedOrganizationId: 'o-a1b2c3d4e5', trustedPrincipalArnPatterns: ['arn:aws:iam::*:role/WorkloadStack-*'] }, orgStack);
    const orgTrust = roleIn(Template.fromStack(orgStack).toJSON(), { account: HUB, region: 'us-east-1' }).trustPolicy;
    const policies: NamedPolicy[] = [{ name: 'AssumeBedrockHubRole', document: { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: orgHub.roleArn }] } }];

    expect((await assume({ ...workloadFunction, organizationId: 'o-a1b2c3d4e5' }, EXTERNAL_ID, policies, orgTrust)).decision).toBe('Allowed');
    expect((await assume({ roleArn: `arn:aws:iam::${OTHER}:role/WorkloadStack-Fn`, organizationId: 'o-a1b2c3d4e5' }, EXTERNAL_ID, policies, orgTrust)).decision).toBe('Allowed');
    expect((await assume({ ...workloadFunction, organizationId: 'o-zzzzzzzzzz' }, EXTERNAL_ID, policies, orgTrust)).decision).toBe('ImplicitlyDenied');
    expect((await assume(workloadFunction, EXTERNAL_ID, policies, orgTrust)).decision).toBe('ImplicitlyDenied');
  });

  test('requireExternalId: false admits the matching role without an ExternalId', async () => {
    const openStack = hubStack();
    hubRole({ externalId: undefined, requireExternalId: false }, openStack);
    const openTrust = roleIn(Template.fromStack(openStack).toJSON(), { account: HUB, region: 'us-east-1' }).trustPolicy;
    expect((await assume(workloadFunction, undefined, mayAssumeHub, openTrust)).decision).toBe('Allowed');
  });
});

describe('IAM policy engine: session tags and source identity', () => {
  const stack = hubStack();
  const hub = hubRole({ allowedSessionTagKeys: ['team', 'lambda-function'], requiredSessionTagKeys: ['lambda-function'], sourceIdentityPattern: 'orders-*' }, stack);
  const trust = roleIn(Template.fromStack(stack).toJSON(), { account: HUB, region: 'us-east-1' }).trustPolicy;
  const caller: RoleSession = { roleArn: `arn:aws:iam::${WORKLOAD}:role/WorkloadStack-HandlerServiceRoleA1B2C3-X9Y8Z7W6V5U4` };
  const mayAssume: NamedPolicy[] = [{
    name: 'AssumeBedrockHubRole',
    document: { Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'], Resource: hub.roleArn }] },
  }];
  const tags = (values: Record<string, string>) => ({
    ...Object.fromEntries(Object.entries(values).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
    'aws:TagKeys': Object.keys(values),
  });
  /** What STS asks the engine, action by action, for one AssumeRole request (sts:ExternalId is a key of AssumeRole only). */
  const request = (action: string, context: Record<string, string | string[]>, who: RoleSession = caller) =>
    evaluate({ caller: who, action, resource: hub.roleArn, identityPolicies: mayAssume, resourcePolicy: trust, context });
  const sent = { ...tags({ 'team': 'orders', 'lambda-function': 'orders-api' }), 'sts:SourceIdentity': 'orders-api' };

  test('allowed: AssumeRole with the ExternalId, the required tag and a matching source identity; TagSession and SetSourceIdentity with them', async () => {
    expect((await request('sts:AssumeRole', { 'sts:ExternalId': EXTERNAL_ID, ...sent })).decision).toBe('Allowed');
    expect((await request('sts:TagSession', tags({ 'team': 'orders', 'lambda-function': 'orders-api' }))).decision).toBe('Allowed');
    expect((await request('sts:SetSourceIdentity', { 'sts:SourceIdentity': 'orders-api' })).decision).toBe('Allowed');
  });

  test.each<[string, string, Record<string, string | string[]>, RoleSession]>([
    ['AssumeRole without the required tag', 'sts:AssumeRole', { 'sts:ExternalId': EXTERNAL_ID, ...tags({ team: 'orders' }), 'sts:SourceIdentity': 'orders-api' }, caller],
    ['AssumeRole without a source identity', 'sts:AssumeRole', { 'sts:ExternalId': EXTERNAL_ID, ...tags({ 'lambda-function': 'orders-api' }) }, caller],
    ['AssumeRole with a source identity the pattern does not match', 'sts:AssumeRole', { 'sts:ExternalId': EXTERNAL_ID, ...tags({ 'lambda-function': 'orders-api' }), 'sts:SourceIdentity': 'billing-api' }, caller],
    ['AssumeRole with everything but the ExternalId', 'sts:AssumeRole', sent, caller],
    ['TagSession with a key that is not allowed', 'sts:TagSession', tags({ 'lambda-function': 'orders-api', 'cost-center': '1234' }), caller],
    ['TagSession with an allowed key in another case', 'sts:TagSession', tags({ 'Lambda-Function': 'orders-api' }), caller],
    ['TagSession from another account', 'sts:TagSession', tags({ team: 'orders' }), { roleArn: `arn:aws:iam::${OTHER}:role/WorkloadStack-Fn` }],
    ['TagSession from a role the patterns do not match', 'sts:TagSession', tags({ team: 'orders' }), { roleArn: `arn:aws:iam::${WORKLOAD}:role/OtherStack-Fn` }],
    ['SetSourceIdentity with a value the pattern does not match', 'sts:SetSourceIdentity', { 'sts:SourceIdentity': 'billing-api' }, caller],
    ['SetSourceIdentity from another account', 'sts:SetSourceIdentity', { 'sts:SourceIdentity': 'orders-api' }, { roleArn: `arn:aws:iam::${OTHER}:role/WorkloadStack-Fn` }],
  ])('denied by the trust policy: %s', async (_name, action, context, who) => {
    expect(await request(action, context, who)).toMatchObject({ decision: 'ImplicitlyDenied', reasons: ['no statement of the resource policy allows it'] });
  });

  test('without allowSessionTags, a tagged session is denied at sts:TagSession', async () => {
    const plainStack = hubStack();
    const plain = hubRole({}, plainStack);
    const plainTrust = roleIn(Template.fromStack(plainStack).toJSON(), { account: HUB, region: 'us-east-1' }).trustPolicy;
    const result = await evaluate({ caller, action: 'sts:TagSession', resource: plain.roleArn, identityPolicies: mayAssume, resourcePolicy: plainTrust, context: tags({ team: 'orders' }) });
    expect(result.decision).toBe('ImplicitlyDenied');
  });
});

describe('IAM policy engine: what the hub role may do', () => {
  const stack = hubStack();
  const guardrail = new CfnGuardrail(stack, 'Guardrail', { name: 'hub', blockedInputMessaging: 'blocked', blockedOutputsMessaging: 'blocked' });
  hubRole({
    models: [
      BedrockModel.foundationModel(SONNET),
      BedrockModel.crossRegionProfile(US_SONNET, { destinationRegions: US_DESTINATIONS }),
      BedrockModel.crossRegionProfile(GLOBAL_SONNET_45),
      BedrockModel.applicationInferenceProfile('a1b2c3d4e5f6', { routesTo: BedrockModel.foundationModel('amazon.nova-pro-v1:0') }),
    ],
    guardrails: ['gr12345abcde', guardrail.attrGuardrailArn],
    agentAliases: ['AGENT12345/ALIAS12345'],
    knowledgeBases: ['KB12345678'],
    openAiCompatibleInference: true,
  }, stack);
  const template = Template.fromStack(stack).toJSON();
  const hub = roleIn(template, { account: HUB, region: 'us-east-1' });
  // The ARN CloudFormation gives the guardrail construct.
  const constructGuardrail = deploymentOf(template, { account: HUB, region: 'us-east-1' }).guardrails.find((g) => g.logicalId === stack.getLogicalId(guardrail))!.arn;
  const session: RoleSession = { roleArn: hub.arn, sessionName: 'WorkloadStack-Handler' };

  const profile = (region: string, id: string, account = HUB) => `arn:aws:bedrock:${region}:${account}:inference-profile/${id}`;
  const fm = (region: string, id: string) => `arn:aws:bedrock:${region}::foundation-model/${id}`;
  const appProfile = (account: string) => `arn:aws:bedrock:us-east-1:${account}:application-inference-profile/a1b2c3d4e5f6`;

  function call(action: string, resource: string, extra: Partial<AccessRequest> = {}) {
    return evaluate({ caller: session, action, resource, identityPolicies: hub.identityPolicies, ...extra });
  }

  const allowed: Array<[string, string, string, Partial<AccessRequest>?]> = [
    ['the chosen foundation model', 'bedrock:InvokeModel', fm('us-east-1', SONNET)],
    ['the chosen foundation model, streaming', 'bedrock:InvokeModelWithResponseStream', fm('us-east-1', SONNET)],
    ['the US profile in the hub account', 'bedrock:InvokeModel', profile('us-east-1', US_SONNET)],
    ...US_DESTINATIONS.map((region): [string, string, string, Partial<AccessRequest>] => [
      `the profile's model in the destination ${region}`, 'bedrock:InvokeModel', fm(region, SONNET),
      { context: { 'bedrock:InferenceProfileArn': profile('us-east-1', US_SONNET) } },
    ]),
    ['the global profile', 'bedrock:InvokeModelWithResponseStream', profile('us-east-1', GLOBAL_SONNET_45)],
    ['the global profile\'s model in the source region', 'bedrock:InvokeModel', fm('us-east-1', 'anthropic.claude-sonnet-4-5-20250929-v1:0'),
      { context: { 'bedrock:InferenceProfileArn': profile('us-east-1', GLOBAL_SONNET_45) } }],
    ['the global profile\'s region-less model', 'bedrock:InvokeModel', 'arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0',
      { context: { 'bedrock:InferenceProfileArn': profile('us-east-1', GLOBAL_SONNET_45) }, unvalidatedResource: true }],
    ['GetInferenceProfile on the hub\'s profile', 'bedrock:GetInferenceProfile', profile('us-east-1', US_SONNET)],
    ['the hub\'s application inference profile', 'bedrock:InvokeModel', appProfile(HUB)],
    ['GetInferenceProfile on the hub\'s application inference profile', 'bedrock:GetInferenceProfile', appProfile(HUB)],
    ['the application profile\'s model, through it', 'bedrock:InvokeModel', fm('us-east-1', 'amazon.nova-pro-v1:0'), { context: { 'bedrock:InferenceProfileArn': appProfile(HUB) } }],
    ['ApplyGuardrail on the hub guardrail given by id', 'bedrock:ApplyGuardrail', `arn:aws:bedrock:us-east-1:${HUB}:guardrail/gr12345abcde`],
    ['ApplyGuardrail on the hub guardrail given by construct', 'bedrock:ApplyGuardrail', constructGuardrail],
    ['InvokeAgent on the hub agent alias', 'bedrock:InvokeAgent', `arn:aws:bedrock:us-east-1:${HUB}:agent-alias/AGENT12345/ALIAS12345`],
    ['Retrieve from the hub knowledge base', 'bedrock:Retrieve', `arn:aws:bedrock:us-east-1:${HUB}:knowledge-base/KB12345678`],
    ['RetrieveAndGenerate', 'bedrock:RetrieveAndGenerate', '*'],
    ['OpenAI-compatible inference on a hub project', 'bedrock-mantle:CreateInference', `arn:aws:bedrock-mantle:us-east-1:${HUB}:project/default`],
  ];

  // Rest parameters: rows without `extra` must not make jest wait for a `done` callback.
  test.each(allowed)('allowed: %s', async (...[, action, resource, extra]) => {
    const result = await call(action, resource, extra);
    expect(result).toMatchObject({ decision: 'Allowed', allowed: true });
  });

  const denied: Array<[string, string, string, Partial<AccessRequest>?]> = [
    ['another foundation model', 'bedrock:InvokeModel', fm('us-east-1', 'anthropic.claude-3-opus-20240229-v1:0')],
    ['the chosen model in a region not chosen', 'bedrock:InvokeModel', fm('eu-west-1', SONNET)],
    ['a destination model called directly, not through the profile', 'bedrock:InvokeModel', fm('us-west-2', SONNET)],
    ['the profile\'s model outside its destinations', 'bedrock:InvokeModel', fm('eu-west-1', SONNET), { context: { 'bedrock:InferenceProfileArn': profile('us-east-1', US_SONNET) } }],
    ['the global model region-less, without the profile', 'bedrock:InvokeModel', 'arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0', { unvalidatedResource: true }],
    ['the application profile\'s model called directly', 'bedrock:InvokeModel', fm('us-east-1', 'amazon.nova-pro-v1:0')],
    ['a profile of another account', 'bedrock:InvokeModel', profile('us-east-1', US_SONNET, OTHER)],
    ['GetInferenceProfile on another account\'s profile', 'bedrock:GetInferenceProfile', profile('us-east-1', US_SONNET, OTHER)],
    ['another account\'s application inference profile', 'bedrock:InvokeModel', appProfile(OTHER)],
    ['GetInferenceProfile on another account\'s application inference profile', 'bedrock:GetInferenceProfile', appProfile(OTHER)],
    ['ApplyGuardrail on another account\'s guardrail', 'bedrock:ApplyGuardrail', `arn:aws:bedrock:us-east-1:${OTHER}:guardrail/gr12345abcde`],
    ['ApplyGuardrail on another hub guardrail', 'bedrock:ApplyGuardrail', `arn:aws:bedrock:us-east-1:${HUB}:guardrail/zz99999zzzzz`],
    ['changing a guardrail', 'bedrock:UpdateGuardrail', `arn:aws:bedrock:us-east-1:${HUB}:guardrail/gr12345abcde`],
    ['Retrieve from another knowledge base', 'bedrock:Retrieve', `arn:aws:bedrock:us-east-1:${HUB}:knowledge-base/KB87654321`],
    ['InvokeAgent on another alias', 'bedrock:InvokeAgent', `arn:aws:bedrock:us-east-1:${HUB}:agent-alias/AGENT12345/ALIAS99999`],
    ['OpenAI-compatible inference on another account\'s project', 'bedrock-mantle:CreateInference', `arn:aws:bedrock-mantle:us-east-1:${OTHER}:project/default`],
    ['bearer-token calls', 'bedrock-mantle:CallWithBearerToken', '*'],
    ['an imported model nobody listed', 'bedrock:InvokeModel', `arn:aws:bedrock:us-east-1:${HUB}:imported-model/abcdef123456`],
    ['deleting the application inference profile', 'bedrock:DeleteInferenceProfile', appProfile(HUB)],
  ];

  test.each(denied)('denied: %s', async (...[, action, resource, extra]) => {
    const result = await call(action, resource, extra);
    expect(result).toMatchObject({ decision: 'ImplicitlyDenied', allowed: false });
  });
});

describe('IAM policy engine: the action names granted are the ones IAM knows', () => {
  const session: RoleSession = { roleArn: `arn:aws:iam::${HUB}:role/BedrockHubRole` };
  const call = (action: string, resource: string) => evaluate({ caller: session, action, resource, identityPolicies: [] });

  test('Converse and ConverseStream are not IAM actions: bedrock:InvokeModel* authorizes them', async () => {
    await expect(call('bedrock:Converse', `arn:aws:bedrock:us-east-1::foundation-model/${SONNET}`)).rejects.toThrow(/invalid\.action/);
    await expect(call('bedrock:ConverseStream', `arn:aws:bedrock:us-east-1::foundation-model/${SONNET}`)).rejects.toThrow(/invalid\.action/);
  });

  test('bedrock-mantle lists tags with ListTagsForResource (the plural form is not an IAM action)', async () => {
    const project = `arn:aws:bedrock-mantle:us-east-1:${HUB}:project/default`;
    await expect(call('bedrock-mantle:ListTagsForResources', project)).rejects.toThrow(/invalid\.action/);
    await expect(call('bedrock-mantle:ListTagsForResource', project)).resolves.toMatchObject({ decision: 'ImplicitlyDenied' });
  });
});

describe('IAM policy engine: cross-region guardrails and model subscription', () => {
  const stack = hubStack();
  const hub = hubRole({
    crossRegionGuardrails: [{ guardrail: 'gr12345abcde', guardrailProfileId: 'us.guardrail.v1:0', destinationRegions: US_DESTINATIONS }],
    allowModelSubscription: true,
  }, stack);
  const { identityPolicies } = roleIn(Template.fromStack(stack).toJSON(), { account: HUB, region: 'us-east-1' });
  const session: RoleSession = { roleArn: hub.roleArn, sessionName: 'fn' };
  const ask = (action: string, resource: string, context: Record<string, string> = {}) =>
    evaluate({ caller: session, action, resource, identityPolicies, context });

  test.each(US_DESTINATIONS)('ApplyGuardrail through the guardrail profile in %s is allowed', async (region) => {
    await expect(ask('bedrock:ApplyGuardrail', `arn:aws:bedrock:${region}:${HUB}:guardrail-profile/us.guardrail.v1:0`)).resolves.toMatchObject({ decision: 'Allowed' });
  });

  test('the guardrail profile of another account, or another profile, is not', async () => {
    await expect(ask('bedrock:ApplyGuardrail', `arn:aws:bedrock:us-east-2:${OTHER}:guardrail-profile/us.guardrail.v1:0`)).resolves.toMatchObject({ decision: 'ImplicitlyDenied' });
    await expect(ask('bedrock:ApplyGuardrail', `arn:aws:bedrock:us-east-2:${HUB}:guardrail-profile/eu.guardrail.v1:0`)).resolves.toMatchObject({ decision: 'ImplicitlyDenied' });
  });

  test('aws-marketplace:Subscribe is allowed only when Bedrock makes the call', async () => {
    await expect(ask('aws-marketplace:Subscribe', '*', { 'aws:CalledViaLast': 'bedrock.amazonaws.com' })).resolves.toMatchObject({ decision: 'Allowed' });
    await expect(ask('aws-marketplace:ViewSubscriptions', '*', { 'aws:CalledViaLast': 'bedrock.amazonaws.com' })).resolves.toMatchObject({ decision: 'Allowed' });
    await expect(ask('aws-marketplace:Subscribe', '*')).resolves.toMatchObject({ decision: 'ImplicitlyDenied' });
  });
});
