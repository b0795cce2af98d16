import { App, CfnParameter, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BedrockHubAccess, BedrockHubAccessProps, BedrockHubRole, BedrockHubRoleProps, BedrockModel } from '../../src';
import { ENV } from '../../src/contract';
import { arnLike, patternMayMatchRole, RoleArnFacts, roleArnFacts, stringLike } from '../../src/private/pairing';
import { CfnTemplate, deploymentOf, evaluate, NamedPolicy, PolicyDocument, roleIn, RoleSession } from '../support/iam';

const HUB = '222222222222';
const WORKLOAD = '111111111111';
const TARGET = '333333333333';
const OTHER = '444444444444';
const REGION = 'us-east-1';
const EXTERNAL_ID = 'hub-external-id-5d1e';
const TARGET_EXTERNAL_ID = 'agents-external-id-9c2a';
const HUB_ROLE_ARN = `arn:aws:iam::${HUB}:role/BedrockHubRole`;
const TARGET_ROLE_ARN = `arn:aws:iam::${TARGET}:role/AgentsRole`;
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

// ---------------------------------------------------------------------------
// ArnLike, and what a pattern can match of a role known only in part
// ---------------------------------------------------------------------------

describe('stringLike and arnLike: IAM\'s wildcard matching', () => {
  test.each<[string, string, boolean]>([
    ['Workload-*', 'Workload-FnServiceRole-ABC', true],
    ['Workload-*', 'Workload-', true],
    ['Workload-*', 'workload-Fn', false],
    ['Work?oad*', 'Workload', true],
    ['Work?oad*', 'Workoad', false],
    ['*', '', true],
    ['a.b', 'axb', false],
    ['a+b(c)', 'a+b(c)', true],
    ['orders-*', 'orders-api', true],
    ['orders-*', 'billing-api', false],
  ])('stringLike(%s, %s) is %s', (pattern, value, expected) => {
    expect(stringLike(pattern, value)).toBe(expected);
  });

  test.each<[string, string, boolean]>([
    [`arn:aws:iam::${WORKLOAD}:role/Workload-*`, `arn:aws:iam::${WORKLOAD}:role/Workload-Fn-ABC`, true],
    ['arn:aws:iam::*:role/Workload-*', `arn:aws:iam::${OTHER}:role/Workload-Fn-ABC`, true],
    [`arn:aws:iam::${WORKLOAD}:role/Workload-*`, `arn:aws:iam::${OTHER}:role/Workload-Fn-ABC`, false],
    // '*' in the resource part spans the path, as in IAM.
    [`arn:aws:iam::${WORKLOAD}:role/*Fn*`, `arn:aws:iam::${WORKLOAD}:role/team/Workload-Fn-ABC`, true],
    [`arn:aws:iam::${WORKLOAD}:role/Workload-*`, `arn:aws:iam::${WORKLOAD}:role/team/Workload-Fn-ABC`, false],
    // A wildcard does not reach across the colons between ARN parts.
    ['arn:aws:iam::*', `arn:aws:iam::${WORKLOAD}:role/Workload-Fn`, false],
    ['not an arn', `arn:aws:iam::${WORKLOAD}:role/Workload-Fn`, false],
  ])('arnLike(%s, %s) is %s', (pattern, arn, expected) => {
    expect(arnLike(pattern, arn)).toBe(expected);
  });
});

describe('patternMayMatchRole: false only when the pattern certainly cannot match', () => {
  const LOGICAL_ID = 'FnServiceRoleB9001A96';
  /** A name CloudFormation generates from a stack name and a logical id short enough not to be cut. */
  const generated = (stackName: string, path = '/'): RoleArnFacts =>
    ({ partition: 'aws', account: WORKLOAD, path, generatedFromStackName: stackName, generatedFromLogicalId: LOGICAL_ID, description: 'generated' });
  /** A stack name so long that CloudFormation may cut it: only the start of the name is certain. */
  const LONG = 'WorkloadForTheOrdersTeamInTheEuropeanRegions';
  const long = (): RoleArnFacts => ({ ...generated(LONG), generatedFromLogicalId: LOGICAL_ID });
  const named = (roleName: string, path = '/'): RoleArnFacts => ({ partition: 'aws', account: WORKLOAD, path, roleName, description: 'named' });
  const role = (resource: string) => `arn:aws:iam::${WORKLOAD}:${resource}`;

  test.each<[string, string, RoleArnFacts, boolean]>([
    // Generated names, short enough to be exactly '<stack>-<logical id>-<suffix>'.
    ['a prefix of the stack name', role('role/Workload-*'), generated('Workload'), true],
    ['the stack name and the logical id', role('role/Workload-FnServiceRole*'), generated('Workload'), true],
    ['any role', role('role/*'), generated('Workload'), true],
    ['any role of any account', 'arn:aws:iam::*:role/*', generated('Workload'), true],
    ['a shorter prefix', role('role/Work*'), generated('Workload'), true],
    ['a wildcard character in the stack name', role('role/W?rkload-*'), generated('Workload'), true],
    ['a suffix pattern', role('role/*-FnServiceRole*'), generated('Workload'), true],
    ['an exact generated name copied from a deployment', role(`role/Workload-${LOGICAL_ID}-A1B2C3D4E5F6G`), generated('Workload'), true],
    ['an exact name with ? for the suffix', role(`role/Workload-${LOGICAL_ID}-????????????`), generated('Workload'), true],
    ['another stack\'s prefix', role('role/Other-*'), generated('Workload'), false],
    ['a longer stack name', role('role/WorkloadStack-*'), generated('Workload'), false],
    ['a cut stack name, where nothing is cut', role('role/Work-*'), generated('Workload'), false],
    ['the stack name without its hyphen', role('role/WorkloadFn*'), generated('Workload'), false],
    ['another logical id', role('role/Workload-Handler*'), generated('Workload'), false],
    ['a generated name without the random suffix', role(`role/Workload-${LOGICAL_ID}`), generated('Workload'), false],
    ['a generated name whose suffix has a hyphen', role(`role/Workload-${LOGICAL_ID}-A1B2-C3D4E5F6`), generated('Workload'), false],
    ['a name within the stack name, with no wildcard', role('role/Work'), generated('Workload'), false],
    ['another account', `arn:aws:iam::${OTHER}:role/Workload-*`, generated('Workload'), false],
    ['another partition', `arn:aws-cn:iam::${WORKLOAD}:role/Workload-*`, generated('Workload'), false],
    ['another path', role('role/Workload-*'), generated('Workload', '/team/'), false],
    ['the path', role('role/team/Workload-*'), generated('Workload', '/team/'), true],
    ['a user, not a role', role('user/Workload-*'), generated('Workload'), false],
    ['an STS session ARN', `arn:aws:sts::${WORKLOAD}:assumed-role/Workload-*`, generated('Workload'), false],
    // Generated names CloudFormation may cut: only a contradiction of the stack name's start is certain.
    ['a long stack name, where it may be cut', role('role/WorkloadForTheOrdersTeam-*'), long(), true],
    ['a long stack name, exactly where it may be cut, no wildcard', role('role/WorkloadForTheOrders-Fn-A1B2C3D4E5F6'), long(), true],
    ['a long stack name, a contradicting start', role('role/WorkloadForTheBillingTeam-*'), long(), false],
    ['a long stack name, cut without a suffix', role('role/WorkloadForTheOrders-FnServiceRole'), long(), false],
    ['an unknown stack name', role('role/Anything-*'), { partition: 'aws', account: WORKLOAD, path: '/', description: 'x' }, true],
    ['a token pattern', Lazy.string({ produce: () => 'x' }), generated('Workload'), true],
    // Fixed names: exactly ArnLike.
    ['a fixed role name, exactly', role('role/orders-fn'), named('orders-fn'), true],
    ['a fixed role name, by prefix', role('role/orders-*'), named('orders-fn'), true],
    ['another fixed role name', role('role/billing-*'), named('orders-fn'), false],
    ['a fixed role name under a path', role('role/team/orders-fn'), named('orders-fn', '/team/'), true],
  ])('%s', (_name, pattern, facts, expected) => {
    expect(patternMayMatchRole(pattern, facts)).toBe(expected);
  });

  test('what the construct tree tells about a role', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Workload', { env: { account: WORKLOAD, region: REGION } });
    const assumedBy = new iam.ServicePrincipal('lambda.amazonaws.com');

    // THEN
    expect(roleArnFacts(new iam.Role(stack, 'Generated', { assumedBy }))).toEqual({
      partition: 'aws',
      account: WORKLOAD,
      path: '/',
      generatedFromStackName: 'Workload',
      generatedFromLogicalId: expect.stringMatching(/^Generated[0-9A-F]{8}$/),
      description: expect.stringMatching(/^'Workload\/Generated' \(name generated by CloudFormation: 'Workload-Generated[0-9A-F]{8}-<suffix>'\)$/),
    });
    expect(roleArnFacts(new iam.Role(stack, 'Named', { assumedBy, roleName: 'orders-fn', path: '/team/' }))).toMatchObject({ path: '/team/', roleName: 'orders-fn' });
    expect(roleArnFacts(iam.Role.fromRoleArn(stack, 'Imported', `arn:aws:iam::${OTHER}:role/x/Imported`))).toMatchObject({ account: OTHER, path: '/x/', roleName: 'Imported' });
    const parameter = new CfnParameter(stack, 'RoleName').valueAsString;
    expect(roleArnFacts(new iam.Role(stack, 'TokenName', { assumedBy, roleName: parameter }))).toEqual({ partition: 'aws', account: WORKLOAD, path: '/', description: "'Workload/TokenName'" });
    expect(roleArnFacts(new iam.Role(stack, 'LazyName', { assumedBy, roleName: Lazy.string({ produce: () => 'late' }) }))).toMatchObject({ roleName: 'late' });
  });
});

// ---------------------------------------------------------------------------
// Both sides in one app
// ---------------------------------------------------------------------------

/** One app: a hub stack, a target account's stack, a workload stack with one function. */
interface Scenario {
  /** Overrides of the hub role's props. */
  readonly hub?: Partial<BedrockHubRoleProps>;
  /** A BedrockHubRole in the target account, added as a target by ARN (found in the app by it). */
  readonly target?: Partial<BedrockHubRoleProps>;
  /** The ExternalId given with the target. @default the target role's */
  readonly targetExternalId?: string;
  /** How the workload side names the hub role. @default 'fromHubRole' */
  readonly via?: 'fromHubRole' | 'arn';
  readonly access?: Partial<BedrockHubAccessProps>;
  readonly workloadAccount?: string;
  readonly workloadStackName?: string;
  /** The function's role. @default the one lambda.Function creates */
  readonly role?: (stack: Stack) => iam.IRole;
  /** Apply through applyToAll (an Aspect, run at synth) rather than to the function directly. */
  readonly applyToAll?: boolean;
}

interface Built {
  readonly app: App;
  readonly hubStack: Stack;
  readonly targetStack?: Stack;
  readonly workloadStack: Stack;
  readonly hubRole: BedrockHubRole;
  readonly access: BedrockHubAccess;
}

function build(s: Scenario = {}): Built {
  const app = new App();
  const hubStack = new Stack(app, 'Hub', { env: { account: HUB, region: REGION } });
  const hubRole = new BedrockHubRole(hubStack, 'HubRole', {
    trustedAccounts: [WORKLOAD],
    trustedPrincipalArnPatterns: [`arn:aws:iam::${WORKLOAD}:role/Workload-*`],
    externalId: EXTERNAL_ID,
    models: [BedrockModel.foundationModel(HAIKU)],
    ...s.hub,
  });
  let targetStack: Stack | undefined;
  if (s.target) {
    targetStack = new Stack(app, 'Agents', { env: { account: TARGET, region: REGION } });
    new BedrockHubRole(targetStack, 'AgentsRole', {
      roleName: 'AgentsRole',
      trustedAccounts: [WORKLOAD],
      trustedPrincipalArnPatterns: [`arn:aws:iam::${WORKLOAD}:role/Workload-*`],
      externalId: TARGET_EXTERNAL_ID,
      agentAliases: ['AGENT12345/ALIAS12345'],
      ...s.target,
    });
  }
  const workloadStack = new Stack(app, s.workloadStackName ?? 'Workload', { env: { account: s.workloadAccount ?? WORKLOAD, region: REGION } });
  const fn = new lambda.Function(workloadStack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({});'),
    role: s.role?.(workloadStack),
  });
  const functions = s.applyToAll ? undefined : [fn];
  const access = (s.via ?? 'fromHubRole') === 'fromHubRole'
    ? BedrockHubAccess.fromHubRole(workloadStack, 'BedrockHub', hubRole, { ...s.access, functions })
    : new BedrockHubAccess(workloadStack, 'BedrockHub', { hubRoleArn: HUB_ROLE_ARN, ...s.access, functions });
  if (s.applyToAll) access.applyToAll(workloadStack);
  if (s.target) access.addTarget(TARGET_ROLE_ARN, { externalId: 'targetExternalId' in s ? s.targetExternalId : TARGET_EXTERNAL_ID });
  return { app, hubStack, targetStack, workloadStack, hubRole, access };
}

/** Synthesizes every stack without the validations, as if the check were not there. */
function templatesOf(built: Built): { workload: CfnTemplate; hub: CfnTemplate; target?: CfnTemplate } {
  const assembly = built.app.synth({ skipValidation: true });
  const template = (stack: Stack) => assembly.getStackArtifact(stack.artifactId).template as CfnTemplate;
  return { workload: template(built.workloadStack), hub: template(built.hubStack), target: built.targetStack && template(built.targetStack) };
}

/** What STS decides for one AssumeRole, action by action (sts:TagSession and sts:SetSourceIdentity only when used). */
type Decisions = Record<string, boolean>;

/** The context keys STS supplies for each action of one AssumeRole request; the engine knows which keys apply to which action. */
function requestContext(request: AssumeRoleRequest): Record<string, Record<string, string | string[]>> {
  type Context = Record<string, string | string[]>;
  const tagKeys = Object.keys(request.tags);
  const tags: Context = tagKeys.length ? {
    ...Object.fromEntries(Object.entries(request.tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
    'aws:TagKeys': tagKeys,
  } : {};
  const sourceIdentity: Context = request.sourceIdentity === undefined ? {} : { 'sts:SourceIdentity': request.sourceIdentity };
  return {
    'sts:AssumeRole': {
      'sts:RoleSessionName': request.sessionName,
      ...(request.externalId === undefined ? {} : { 'sts:ExternalId': request.externalId }),
      ...tags,
      ...sourceIdentity,
    },
    ...(tagKeys.length ? { 'sts:TagSession': tags } : {}),
    ...(request.sourceIdentity === undefined ? {} : { 'sts:SetSourceIdentity': sourceIdentity }),
  };
}

/** One AssumeRole call, as the runtime shim makes it from the function's environment. */
interface AssumeRoleRequest {
  readonly caller: RoleSession;
  readonly identityPolicies: readonly NamedPolicy[];
  readonly roleArn: string;
  readonly trustPolicy: PolicyDocument;
  readonly externalId?: string;
  readonly sessionName: string;
  readonly tags: Record<string, string>;
  readonly sourceIdentity?: string;
}

async function decide(request: AssumeRoleRequest): Promise<Decisions> {
  const decisions: Decisions = {};
  for (const [action, context] of Object.entries(requestContext(request))) {
    const result = await evaluate({
      caller: request.caller,
      action,
      resource: request.roleArn,
      identityPolicies: request.identityPolicies,
      resourcePolicy: request.trustPolicy,
      context,
    });
    decisions[action] = result.allowed;
  }
  return decisions;
}

/**
 * The AssumeRole requests the function would make, read from the synthesized templates: its role
 * and policies, its environment (role ARNs, ExternalIds, tags, source identity), and the trust
 * policies of the roles it names.
 */
function chainOf(built: Built, workloadAccount = WORKLOAD): { hub: AssumeRoleRequest; target?: AssumeRoleRequest } {
  const templates = templatesOf(built);
  const env = { account: workloadAccount, region: REGION, stackName: built.workloadStack.stackName };
  const fn = deploymentOf(templates.workload, env).functions[0];
  const executionRole = roleIn(templates.workload, env, (r) => r.arn === fn.roleArn);
  const variables = fn.environment;
  const tags: Record<string, string> = {
    ...JSON.parse(variables[ENV.SESSION_TAGS] ?? '{}'),
    ...(variables[ENV.FUNCTION_NAME_TAG_KEY] ? { [variables[ENV.FUNCTION_NAME_TAG_KEY]]: fn.functionName } : {}),
  };
  const base = {
    caller: { roleArn: executionRole.arn, sessionName: fn.functionName },
    identityPolicies: executionRole.identityPolicies,
    sessionName: variables[ENV.SESSION_NAME] ?? fn.functionName,
    tags,
    sourceIdentity: variables[ENV.SOURCE_IDENTITY],
  };
  const trustOf = (template: CfnTemplate, account: string, arn: string) =>
    roleIn(template, { account, region: REGION }, (r) => r.arn === arn).trustPolicy;
  const hub: AssumeRoleRequest = {
    ...base,
    roleArn: variables[ENV.ROLE_ARN],
    externalId: variables[ENV.EXTERNAL_ID],
    trustPolicy: trustOf(templates.hub, HUB, variables[ENV.ROLE_ARN]),
  };
  const [targetRole] = JSON.parse(variables[ENV.TARGETS] ?? '[]') as { roleArn: string; externalId?: string }[];
  const target: AssumeRoleRequest | undefined = targetRole && templates.target && {
    ...base,
    roleArn: targetRole.roleArn,
    externalId: targetRole.externalId,
    trustPolicy: trustOf(templates.target, TARGET, targetRole.roleArn),
  };
  return { hub, target };
}

const allowed = (decisions: Decisions) => Object.values(decisions).every(Boolean);

describe('both sides in one app: synth fails, naming both, where every AssumeRole would be denied', () => {
  const both = (kind: 'hub' | 'target') => kind === 'hub'
    ? "BedrockHubAccess '\\w+/BedrockHub' and the hub role BedrockHubRole 'Hub/HubRole' \\(arn:aws:iam::222222222222:role/BedrockHubRole\\) do not agree: "
    : "BedrockHubAccess '\\w+/BedrockHub' and the target role BedrockHubRole 'Agents/AgentsRole' \\(arn:aws:iam::333333333333:role/AgentsRole\\) do not agree: ";
  const named = (name: string) => (stack: Stack) => new iam.Role(stack, 'NamedRole', {
    roleName: name,
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });

  /** name, scenario, the role whose AssumeRole fails, the message after both sides are named. */
  const mismatches: Array<[string, Scenario, 'hub' | 'target', string]> = [
    ['ExternalId differs', { access: { externalId: 'some-other-external-id' } }, 'hub',
      'the ExternalId the functions send differs from the one the role\'s trust policy requires \\(neither value is shown\\), so every AssumeRole would be denied\\. Give externalId the role\'s externalId \\(or leave it out with BedrockHubAccess\\.fromHubRole / addTargetRole, which take the role\'s\\)\\.'],
    ['ExternalId missing (hub role given by ARN, found in the app)', { via: 'arn' }, 'hub',
      'the role\'s trust policy requires an sts:ExternalId, and the functions send none, so every AssumeRole would be denied\\. Pass the role\'s ExternalId as externalId \\(BedrockHubAccess\\.fromHubRole / addTargetRole take it from the role\\)\\.'],
    ['ExternalId differs (hub role given by ARN)', { via: 'arn', access: { externalId: 'some-other-external-id' } }, 'hub', 'the ExternalId the functions send differs'],
    ['the workload account is not trusted', { workloadAccount: OTHER, hub: { trustedAccounts: [WORKLOAD], trustedPrincipalArnPatterns: [] } }, 'hub',
      "the role 'Workload/Fn/ServiceRole' \\(name generated by CloudFormation: 'Workload-FnServiceRole[0-9A-F]{8}-<suffix>'\\) of 'Workload/Fn' is in account 444444444444, which the role does not trust \\(trustedAccounts: 111111111111\\), so every AssumeRole would be denied\\. Add '444444444444' to trustedAccounts of 'Hub/HubRole'\\."],
    ['the principal patterns name another trusted account only', { hub: { trustedAccounts: [WORKLOAD, OTHER], trustedPrincipalArnPatterns: [`arn:aws:iam::${OTHER}:role/Workload-*`] } }, 'hub',
      "the role 'Workload/Fn/ServiceRole' .* of 'Workload/Fn' cannot match any of the role's trustedPrincipalArnPatterns \\('arn:aws:iam::444444444444:role/Workload-\\*'\\), so every AssumeRole would be denied\\. Add a pattern that matches it to trustedPrincipalArnPatterns of 'Hub/HubRole', e\\.g\\. 'arn:aws:iam::111111111111:role/Workload-\\*'"],
    ['the pattern\'s fixed prefix contradicts the workload stack name', { workloadStackName: 'Orders' }, 'hub',
      "the role 'Orders/Fn/ServiceRole' \\(name generated by CloudFormation: 'Orders-FnServiceRole[0-9A-F]{8}-<suffix>'\\) of 'Orders/Fn' cannot match any of the role's trustedPrincipalArnPatterns \\('arn:aws:iam::111111111111:role/Workload-\\*'\\).*e\\.g\\. 'arn:aws:iam::111111111111:role/Orders-\\*'"],
    ['a pattern naming the stack with a longer name', { hub: { trustedPrincipalArnPatterns: [`arn:aws:iam::${WORKLOAD}:role/WorkloadStack-*`] } }, 'hub', 'cannot match any of the role\'s trustedPrincipalArnPatterns'],
    ['a role with a fixed name the patterns do not match', { role: named('orders-fn-role') }, 'hub',
      "the role 'Workload/NamedRole' \\(role name 'orders-fn-role'\\) of 'Workload/Fn' cannot match .*e\\.g\\. 'arn:aws:iam::111111111111:role/orders-fn-role'"],
    ['a role under a path the patterns do not include', { role: (stack) => new iam.Role(stack, 'PathRole', { path: '/team/', assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }) }, 'hub',
      "the role 'Workload/PathRole' .* cannot match .*e\\.g\\. 'arn:aws:iam::111111111111:role/team/Workload-\\*'"],
    ['a function applied to through applyToAll, in a stack the patterns do not name', { applyToAll: true, workloadStackName: 'Orders' }, 'hub', "of 'Orders/Fn' cannot match"],
    ['session tags, and the role does not allow sts:TagSession', { access: { sessionTags: { team: 'orders' } } }, 'hub',
      "the functions tag their sessions \\('team'\\), and the role's trust policy does not allow sts:TagSession, so every AssumeRole would be denied\\. Set allowSessionTags: true \\(or allowedSessionTagKeys\\) on 'Hub/HubRole', or remove sessionTags and functionNameTagKey from the workload side\\."],
    ['the function-name tag alone, and the role does not allow sts:TagSession', { access: { functionNameTagKey: 'lambda-function' } }, 'hub', "the functions tag their sessions \\('lambda-function'\\)"],
    ['a tag key the role does not allow', { hub: { allowedSessionTagKeys: ['team'] }, access: { sessionTags: { team: 'orders' }, functionNameTagKey: 'lambda-function' } }, 'hub',
      "the functions send the session tag key\\(s\\) 'lambda-function', which the role's allowedSessionTagKeys \\('team'\\) do not include \\(keys compare case-sensitively\\)"],
    ['an allowed key in another case', { hub: { allowedSessionTagKeys: ['team'] }, access: { sessionTags: { Team: 'orders' } } }, 'hub', "session tag key\\(s\\) 'Team'"],
    ['the role requires a tag the functions do not send', { hub: { requiredSessionTagKeys: ['lambda-function'] }, access: { sessionTags: { team: 'orders' } } }, 'hub',
      "the role requires the session tag\\(s\\) 'lambda-function' on every session, and the functions do not send it, so every AssumeRole would be denied\\. Send it with sessionTags \\(or as functionNameTagKey\\) on the workload side\\."],
    ['the role requires tags and the functions send none', { hub: { requiredSessionTagKeys: ['team'] } }, 'hub', "the role requires the session tag\\(s\\) 'team'"],
    ['a source identity, and the role does not allow sts:SetSourceIdentity', { access: { sourceIdentity: 'orders-service' } }, 'hub',
      "the functions set a source identity, and the role's trust policy does not allow sts:SetSourceIdentity, so every AssumeRole would be denied\\. Set allowSourceIdentity: true \\(or sourceIdentityPattern\\) on 'Hub/HubRole', or remove sourceIdentity from the workload side\\."],
    ['the role requires a source identity and the functions set none', { hub: { sourceIdentityPattern: 'orders-*' } }, 'hub',
      "the role requires a source identity matching 'orders-\\*' on every session, and the functions set none.*Set sourceIdentity on the workload side\\."],
    ['a source identity the role\'s pattern does not match', { hub: { sourceIdentityPattern: 'orders-*' }, access: { sourceIdentity: 'billing-service' } }, 'hub',
      "the functions' source identity 'billing-service' does not match the role's sourceIdentityPattern 'orders-\\*'"],
    ['a target role with another ExternalId', { target: {}, targetExternalId: 'wrong-target-id' }, 'target',
      'the ExternalId the functions send differs from the one the role\'s trust policy requires .*Give the externalId of targets\\[0\\] the role\'s externalId'],
    ['a target role without its ExternalId', { target: {}, targetExternalId: undefined }, 'target', 'the role\'s trust policy requires an sts:ExternalId, and the functions send none.*Pass the role\'s ExternalId as the externalId of targets\\[0\\]'],
    ['a target role that allows no session tags when the hub does', { hub: { allowSessionTags: true }, target: {}, access: { sessionTags: { team: 'orders' } } }, 'target', 'the functions tag their sessions'],
    ['a target role that does not trust the workload account', { target: { trustedAccounts: [OTHER], trustedPrincipalArnPatterns: [] } }, 'target', 'is in account 111111111111, which the role does not trust'],
  ];

  test.each(mismatches)('%s', async (_name, scenario, failing, message) => {
    // WHEN / THEN: synth refuses, naming both sides and the fix
    expect(() => build(scenario).app.synth()).toThrow(new RegExp(`${both(failing)}(.*)${message}`));

    // AND the IAM policy engine, on the same templates synthesized without the check, denies that AssumeRole
    const chain = chainOf(build(scenario), scenario.workloadAccount);
    const request = failing === 'hub' ? chain.hub : chain.target!;
    expect(allowed(await decide(request))).toBe(false);
  });

  test('every mismatch of one pair is reported at once', () => {
    const { app } = build({ access: { externalId: 'some-other-external-id', sessionTags: { team: 'orders' }, sourceIdentity: 'orders-service' }, workloadStackName: 'Orders' });
    expect(() => app.synth()).toThrow(/ExternalId the functions send differs[^]*cannot match any[^]*does not allow sts:TagSession[^]*does not allow sts:SetSourceIdentity/);
  });

  test('a session duration above the role\'s maximum is checked too (unreachable today: both are capped at one hour)', () => {
    const { app, access, hubRole } = build({ access: { sessionDuration: Duration.hours(1) } });
    expect(access.sessionDuration?.toSeconds()).toBe(hubRole._trust.maxSessionDuration.toSeconds());
    expect(() => app.synth()).not.toThrow();
  });

  /** name, scenario: both sides agree, and the engine allows the whole chain. */
  const agreements: Array<[string, Scenario]> = [
    ['the defaults', {}],
    ['the hub role given by ARN, with its ExternalId', { via: 'arn', access: { externalId: EXTERNAL_ID } }],
    ['tags, the function-name tag and a source identity, all allowed and required', {
      hub: { allowedSessionTagKeys: ['team', 'lambda-function'], requiredSessionTagKeys: ['lambda-function'], sourceIdentityPattern: 'orders-*' },
      access: { sessionTags: { team: 'orders' }, functionNameTagKey: 'lambda-function', sourceIdentity: 'orders-service' },
    }],
    ['a target role that agrees too', {
      hub: { allowSessionTags: true, allowSourceIdentity: true },
      target: { allowSessionTags: true, allowSourceIdentity: true },
      access: { sessionTags: { team: 'orders' }, sourceIdentity: 'orders-service' },
    }],
    ['a role with a fixed name the patterns match', { role: named('Workload-orders-fn') }],
    ['patterns for any role of the account', { hub: { trustedPrincipalArnPatterns: [`arn:aws:iam::${WORKLOAD}:role/*`] }, workloadStackName: 'Orders' }],
    ['no principal patterns', { hub: { trustedPrincipalArnPatterns: [] } }],
    ['a role that requires no ExternalId', { hub: { externalId: undefined, requireExternalId: false } }],
    ['applied through applyToAll', { applyToAll: true }],
  ];

  test.each(agreements)('agreeing: %s', async (_name, scenario) => {
    expect(() => build(scenario).app.synth()).not.toThrow();
    const chain = chainOf(build(scenario));
    expect(await decide(chain.hub)).toEqual(Object.fromEntries(Object.keys(requestContext(chain.hub)).map((a) => [a, true])));
    if (chain.target) expect(allowed(await decide(chain.target))).toBe(true);
  });

  test('what synth cannot know is a warning, not an error: an organization-only trust', () => {
    // GIVEN
    const { app, workloadStack } = build({ hub: { trustedAccounts: undefined, trustedOrganizationId: 'o-a1b2c3d4e5', trustedPrincipalArnPatterns: ['arn:aws:iam::*:role/Workload-*'] } });

    // THEN
    app.synth();
    Annotations.fromStack(workloadStack).hasWarning('/Workload/BedrockHub', Match.stringLikeRegexp(
      'trusts the organization o-a1b2c3d4e5 only, and whether account 111111111111 .* is a member cannot be known at synth.*\\[ack: bedrock-hub-access:trustedOrganizationUnverified\\]'));
  });

  test('what synth cannot know is a warning, not an error: a workload stack without an account', () => {
    // GIVEN
    const app = new App();
    const hubRole = new BedrockHubRole(new Stack(app, 'Hub', { env: { account: HUB, region: REGION } }), 'HubRole', {
      trustedAccounts: [WORKLOAD], externalId: EXTERNAL_ID, models: [BedrockModel.foundationModel(HAIKU)],
    });
    const workloadStack = new Stack(app, 'Workload');
    const fn = new lambda.Function(workloadStack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    BedrockHubAccess.fromHubRole(workloadStack, 'BedrockHub', hubRole, { functions: [fn] });

    // THEN
    app.synth();
    Annotations.fromStack(workloadStack).hasWarning('/Workload/BedrockHub', Match.stringLikeRegexp(
      'is in a stack without a concrete account, so whether the hub role BedrockHubRole .* trusts it cannot be checked at synth.*\\[ack: bedrock-hub-access:workloadAccountUnknown\\]'));
  });

  test('a pattern where CloudFormation may have cut a long stack name is let through (conservative)', () => {
    const scenario: Scenario = {
      workloadStackName: 'WorkloadForTheOrdersTeamInTheEuropeanRegions',
      hub: { trustedPrincipalArnPatterns: [`arn:aws:iam::${WORKLOAD}:role/WorkloadForTheOrdersTeam-*`] },
    };
    expect(() => build(scenario).app.synth()).not.toThrow();
    expect(() => build({ ...scenario, hub: { trustedPrincipalArnPatterns: [`arn:aws:iam::${WORKLOAD}:role/WorkloadForTheBillingTeam-*`] } }).app.synth())
      .toThrow(/cannot match any of the role's trustedPrincipalArnPatterns/);
  });

  test('a hub role given by ARN that no BedrockHubRole of the app has is not checked', () => {
    const app = new App();
    const stack = new Stack(app, 'Workload', { env: { account: WORKLOAD, region: REGION } });
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    new BedrockHubAccess(stack, 'BedrockHub', { hubRoleArn: HUB_ROLE_ARN, sessionTags: { team: 'orders' }, functions: [fn] });
    expect(() => app.synth()).not.toThrow();
  });
});

// ---------------------------------------------------------------------------
// The IAM chain of the synthesized hub and workload templates
// ---------------------------------------------------------------------------

describe('IAM policy engine: the synthesized hub and workload templates allow exactly the intended chain', () => {
  const scenario: Scenario = {
    hub: { allowedSessionTagKeys: ['team', 'lambda-function'], requiredSessionTagKeys: ['lambda-function'], sourceIdentityPattern: 'orders-*' },
    target: { allowedSessionTagKeys: ['team', 'lambda-function'], sourceIdentityPattern: 'orders-*' },
    access: { sessionTags: { team: 'orders' }, functionNameTagKey: 'lambda-function', sourceIdentity: 'orders-service' },
  };
  const built = build(scenario);
  const chain = chainOf(built);
  const hub = chain.hub;
  const target = chain.target!;

  test('synth accepts the pair', () => {
    expect(() => build(scenario).app.synth()).not.toThrow();
  });

  test('the function\'s role may assume the hub role with the right ExternalId, principal, tags and source identity', async () => {
    expect(hub).toMatchObject({
      roleArn: HUB_ROLE_ARN,
      externalId: EXTERNAL_ID,
      tags: { 'team': 'orders', 'lambda-function': expect.stringMatching(/^Workload-Fn/) },
      sourceIdentity: 'orders-service',
    });
    expect(await decide(hub)).toEqual({ 'sts:AssumeRole': true, 'sts:TagSession': true, 'sts:SetSourceIdentity': true });
  });

  test('and the target role in the other account, with its own ExternalId', async () => {
    expect(target).toMatchObject({ roleArn: TARGET_ROLE_ARN, externalId: TARGET_EXTERNAL_ID });
    expect(await decide(target)).toEqual({ 'sts:AssumeRole': true, 'sts:TagSession': true, 'sts:SetSourceIdentity': true });
  });

  const otherAccount = (request: AssumeRoleRequest): AssumeRoleRequest =>
    ({ ...request, caller: { ...request.caller, roleArn: request.caller.roleArn.replace(WORKLOAD, OTHER) } });
  const otherRoleOfTheAccount = (request: AssumeRoleRequest): AssumeRoleRequest => ({ ...request, caller: { ...request.caller, roleArn: `arn:aws:iam::${WORKLOAD}:role/Billing-FnServiceRole-0123456789AB` } });
  const denials: Array<[string, (chainPart: { hub: AssumeRoleRequest; target: AssumeRoleRequest }) => AssumeRoleRequest, string]> = [
    ['hub: without the ExternalId', ({ hub: r }) => ({ ...r, externalId: undefined }), 'sts:AssumeRole'],
    ['hub: with another ExternalId', ({ hub: r }) => ({ ...r, externalId: 'guessed-external-id' }), 'sts:AssumeRole'],
    ['hub: with the target\'s ExternalId', ({ hub: r }) => ({ ...r, externalId: TARGET_EXTERNAL_ID }), 'sts:AssumeRole'],
    ['hub: from another account, same role name and policies', ({ hub: r }) => otherAccount(r), 'sts:AssumeRole'],
    ['hub: from another role of the workload account, same policies', ({ hub: r }) => otherRoleOfTheAccount(r), 'sts:AssumeRole'],
    ['hub: from a role the workload account did not grant sts:AssumeRole', ({ hub: r }) => ({ ...r, identityPolicies: [] }), 'sts:AssumeRole'],
    ['hub: without the required function-name tag', ({ hub: r }) => ({ ...r, tags: { team: 'orders' } }), 'sts:AssumeRole'],
    ['hub: with a tag key the role does not allow', ({ hub: r }) => ({ ...r, tags: { ...r.tags, 'cost-center': '1234' } }), 'sts:TagSession'],
    ['hub: without the source identity', ({ hub: r }) => ({ ...r, sourceIdentity: undefined }), 'sts:AssumeRole'],
    ['hub: with a source identity the pattern does not match', ({ hub: r }) => ({ ...r, sourceIdentity: 'billing-service' }), 'sts:SetSourceIdentity'],
    ['hub: another role of the hub account with the same trust (the function was granted exactly the hub role)', ({ hub: r }) => ({ ...r, roleArn: `arn:aws:iam::${HUB}:role/OtherRole` }), 'sts:AssumeRole'],
    ['target: without its ExternalId', ({ target: r }) => ({ ...r, externalId: undefined }), 'sts:AssumeRole'],
    ['target: with the hub\'s ExternalId', ({ target: r }) => ({ ...r, externalId: EXTERNAL_ID }), 'sts:AssumeRole'],
    ['target: from another account', ({ target: r }) => otherAccount(r), 'sts:AssumeRole'],
    ['target: from another role of the workload account', ({ target: r }) => otherRoleOfTheAccount(r), 'sts:AssumeRole'],
    ['target: a role of the target account the function was not granted', ({ target: r }) => ({ ...r, roleArn: `arn:aws:iam::${TARGET}:role/AdminRole` }), 'sts:AssumeRole'],
  ];

  test.each(denials)('denied: %s', async (_name, change, action) => {
    const decisions = await decide(change({ hub, target }));
    expect(decisions[action]).toBe(false);
  });
});
