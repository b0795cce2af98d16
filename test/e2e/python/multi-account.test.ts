/**
 * Target roles, session tags and a source identity, end to end, for a Python function: a hub
 * account with a BedrockHubRole, a target account whose BedrockHubRole reaches an agent and a
 * knowledge base, a workload whose python3.13 function gets its BedrockHubAccess from both roles.
 * The handler reaches the agent and the knowledge base with `hub.for_resource(arn)`; every claim
 * is read from the emulator's CloudTrail.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { AwsEmulator, ManualClock } from '../../../emulator';
import type { CloudTrailEvent } from '../../../emulator';
import { BedrockHubAccess, BedrockHubRole, BedrockModel } from '../../../src';
import { PYTHON_HANDLER_DIRECTORY } from '../../fixtures/hub-app/app';
import type { DemoResult } from '../../fixtures/hub-app/handler';
import { ensurePythonRuntimes, PYTHON_RUNTIME_SETUP_TIMEOUT_MS, pythonRuntime } from '../../fixtures/hub-app/python-runtime';
import { bedrockCallsWithLocalCredentials, describeEvents, failuresOf, resultOf } from '../helpers';

const WORKLOAD = '111111111111';
const HUB = '222222222222';
const TARGET = '333333333333';
const REGION = 'us-east-1';
const MODEL_ID = 'anthropic.claude-3-haiku-20240307-v1:0';
const AGENT_ID = 'PEGHWIVI5Y';
const ALIAS_ID = 'IO1GTTHP0M';
const KNOWLEDGE_BASE_ID = 'KBVESSELS1';
const AGENT_ALIAS_ARN = `arn:aws:bedrock:${REGION}:${TARGET}:agent-alias/${AGENT_ID}/${ALIAS_ID}`;
const KNOWLEDGE_BASE_ARN = `arn:aws:bedrock:${REGION}:${TARGET}:knowledge-base/${KNOWLEDGE_BASE_ID}`;
const HUB_ROLE_ARN = `arn:aws:iam::${HUB}:role/BedrockHubRole`;
const TARGET_ROLE_ARN = `arn:aws:iam::${TARGET}:role/OrchestratorAgentsRole`;
const WORKLOAD_STACK = 'Orchestrator';

/** The three stacks, in one app: each side's settings are written once. */
function buildApp(outdir: string): Stack[] {
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true } });
  const trustedPrincipalArnPatterns = [`arn:aws:iam::${WORKLOAD}:role/${WORKLOAD_STACK}-*`];

  const hubStack = new Stack(app, 'OrchestratorHub', { env: { account: HUB, region: REGION } });
  const hubRole = new BedrockHubRole(hubStack, 'HubRole', {
    roleName: 'BedrockHubRole',
    trustedAccounts: [WORKLOAD],
    trustedPrincipalArnPatterns,
    externalId: 'hub-external-id-0c4f7e',
    models: [BedrockModel.foundationModel(MODEL_ID)],
    allowedSessionTagKeys: ['team', 'lambda-function'],
    requiredSessionTagKeys: ['lambda-function'],
    sourceIdentityPattern: 'orders-*',
  });

  const targetStack = new Stack(app, 'OrchestratorAgents', { env: { account: TARGET, region: REGION } });
  const agentsRole = new BedrockHubRole(targetStack, 'AgentsRole', {
    roleName: 'OrchestratorAgentsRole',
    trustedAccounts: [WORKLOAD],
    trustedPrincipalArnPatterns,
    externalId: 'agents-external-id-93b1d2',
    agentAliases: [`${AGENT_ID}/${ALIAS_ID}`],
    knowledgeBases: [KNOWLEDGE_BASE_ID],
    allowSessionTags: true,
    allowSourceIdentity: true,
  });

  const workloadStack = new Stack(app, WORKLOAD_STACK, { env: { account: WORKLOAD, region: REGION } });
  const fn = new LambdaFunction(workloadStack, 'PythonHandler', {
    runtime: Runtime.PYTHON_3_13,
    handler: 'handler.handler',
    code: Code.fromAsset(PYTHON_HANDLER_DIRECTORY, { exclude: ['__pycache__'] }),
    environment: { TABLE_NAME: 'unused', BUCKET_NAME: 'unused' },
  });
  const access = BedrockHubAccess.fromHubRole(workloadStack, 'BedrockHub', hubRole, {
    sessionTags: { team: 'orders' },
    functionNameTagKey: 'lambda-function',
    sourceIdentity: 'orders-service',
    functions: [fn],
  });
  access.addTargetRole(agentsRole);
  app.synth();
  return [hubStack, targetStack, workloadStack];
}

const outdir = mkdtempSync(join(tmpdir(), 'python-multi-account-'));
let emulator: AwsEmulator;
let functionName: string;
let result: DemoResult;
let events: readonly CloudTrailEvent[];

const assumeRolesOn = (roleArn: string, recipient: string) => events.filter((e) => e.eventName === 'AssumeRole'
  && e.recipientAccountId === recipient && (e.requestParameters as { roleArn?: string } | null)?.roleArn === roleArn);

beforeAll(ensurePythonRuntimes, PYTHON_RUNTIME_SETUP_TIMEOUT_MS);

beforeAll(async () => {
  // GIVEN the three stacks, and the target account's agent and knowledge base
  const stacks = buildApp(outdir);
  emulator = await AwsEmulator.start({ clock: new ManualClock(), defaultRegion: REGION });
  for (const stack of stacks) emulator.loadStack(stack);
  emulator.bedrock.addAgent({ accountId: TARGET, region: REGION, name: 'vessel-operations', agentId: AGENT_ID, foundationModel: MODEL_ID });
  emulator.bedrock.addAgentAlias({ accountId: TARGET, region: REGION, agentId: AGENT_ID, agentAliasId: ALIAS_ID, name: 'live' });
  emulator.bedrock.addKnowledgeBase({
    accountId: TARGET, region: REGION, name: 'vessels', knowledgeBaseId: KNOWLEDGE_BASE_ID, documents: [{ text: 'The vessel Taino sails on Mondays.' }],
  });
  const lambda = await emulator.startLambda(`${WORKLOAD_STACK}/PythonHandler`, { python: pythonRuntime() });
  functionName = emulator.lambdaFunction(`${WORKLOAD_STACK}/PythonHandler`).functionName;

  // WHEN the Python function calls a model in the hub, an agent and a knowledge base in the target account
  result = resultOf(await lambda.invoke({
    operations: [{ op: 'Converse' }, { op: 'InvokeAgent', agentAliasArn: AGENT_ALIAS_ARN }, { op: 'Retrieve', knowledgeBaseArn: KNOWLEDGE_BASE_ARN }],
  }));
  events = [...emulator.cloudTrail.events];
});

afterAll(async () => {
  const problems = emulator ? [...emulator.problems] : [];
  await emulator?.stop();
  rmSync(outdir, { recursive: true, force: true });
  expect(problems).toEqual([]);
});

test('every call succeeds', () => {
  expect(failuresOf(result)).toEqual([]);
});

test('the agent and the knowledge base are called in the target account, under the target role\'s session named after the function', () => {
  const targetSession = `arn:aws:sts::${TARGET}:assumed-role/OrchestratorAgentsRole/${functionName}`;
  const calls = events.filter((e) => e.eventName === 'InvokeAgent' || e.eventName === 'Retrieve');
  expect(calls.map((e) => [e.eventName, e.recipientAccountId, e.userIdentity.arn, e.errorCode])).toEqual([
    ['InvokeAgent', TARGET, targetSession, undefined],
    ['Retrieve', TARGET, targetSession, undefined],
  ]);
});

test('the model is called in the hub, under the hub role\'s session', () => {
  const converse = events.filter((e) => e.eventName === 'Converse');
  expect(converse.map((e) => [e.recipientAccountId, e.userIdentity.arn, e.errorCode])).toEqual([
    [HUB, `arn:aws:sts::${HUB}:assumed-role/BedrockHubRole/${functionName}`, undefined],
  ]);
});

test('one AssumeRole per role, each with its own ExternalId (never shown), the session tags and the source identity', () => {
  for (const [roleArn, account] of [[HUB_ROLE_ARN, HUB], [TARGET_ROLE_ARN, TARGET]]) {
    const assumeRoles = assumeRolesOn(roleArn, account);
    expect(assumeRoles).toHaveLength(1);
    expect(assumeRoles[0]).toMatchObject({
      requestParameters: {
        roleSessionName: functionName,
        externalId: 'HIDDEN_DUE_TO_SECURITY_REASONS',
        tags: [{ key: 'team', value: 'orders' }, { key: 'lambda-function', value: functionName }],
        sourceIdentity: 'orders-service',
      },
      userIdentity: { type: 'AWSAccount', accountId: WORKLOAD },
    });
    expect(assumeRoles[0].errorCode).toBeUndefined();
  }
  expect(JSON.stringify(events)).not.toMatch(/hub-external-id|agents-external-id/);
});

test('every Bedrock call carries the source identity, and none is signed with the function\'s own credentials', () => {
  const bedrock = events.filter((e) => e.eventSource === 'bedrock.amazonaws.com');
  expect(bedrock).toHaveLength(3);
  for (const e of bedrock) expect(e.userIdentity.sessionContext?.sourceIdentity).toBe('orders-service');
  expect(describeEvents(bedrockCallsWithLocalCredentials(events))).toEqual([]);
});
