/**
 * Target roles, session tags and a source identity, end to end, for a Python function: a hub
 * account with a BedrockHubRole, a target account whose BedrockHubRole reaches an agent and a
 * knowledge base, a workload whose python3.13 function gets its BedrockHubAccess from both roles.
 * The handler reaches the agent and the knowledge base with `hub.for_resource(arn)`; every claim
 * is read from the emulator's CloudTrail.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AwsEmulator, ManualClock } from '../../../emulator';
import type { CloudTrailEvent } from '../../../emulator';
import type { DemoResult } from '../../fixtures/hub-app/handler';
import { ensurePythonRuntimes, PYTHON_RUNTIME_SETUP_TIMEOUT_MS, pythonRuntime } from '../../fixtures/hub-app/python-runtime';
import {
  addTargetResources, AGENT_ALIAS_ARN, buildApp, functionPath, HUB, HUB_ROLE_ARN, KNOWLEDGE_BASE_ARN, REGION, stopAndClean, TARGET,
  TARGET_ROLE_ARN, WORKLOAD,
} from '../fixtures/multi-account-app';
import { bedrockCallsWithLocalCredentials, describeEvents, failuresOf, resultOf } from '../helpers';

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
  const { stacks } = buildApp(outdir, { python: true });
  emulator = await AwsEmulator.start({ clock: new ManualClock(), defaultRegion: REGION });
  for (const stack of stacks) emulator.loadStack(stack);
  addTargetResources(emulator);
  const lambda = await emulator.startLambda(functionPath(true), { python: pythonRuntime() });
  functionName = emulator.lambdaFunction(functionPath(true)).functionName;

  // WHEN the Python function calls a model in the hub, an agent and a knowledge base in the target account
  result = resultOf(await lambda.invoke({
    operations: [{ op: 'Converse' }, { op: 'InvokeAgent', agentAliasArn: AGENT_ALIAS_ARN }, { op: 'Retrieve', knowledgeBaseArn: KNOWLEDGE_BASE_ARN }],
  }));
  events = [...emulator.cloudTrail.events];
});

afterAll(async () => {
  expect(await stopAndClean(emulator, outdir)).toEqual([]);
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
