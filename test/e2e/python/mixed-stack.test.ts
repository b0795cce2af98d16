/**
 * A stack mixing Node and Python functions under one `applyToAll`: the example workload stack with
 * its Node function (bundled by esbuild, on the Node shim) and its python3.13 function (on the
 * Python shim), both configured by the same `BedrockHubAccess.applyToAll(stack)`, both run as warm
 * Lambda environments on one emulator, both calling Bedrock through the hub.
 */
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import type { CloudTrailEvent } from '../../../emulator';
import {
  FUNCTION_ID, HUB_ACCOUNT, HUB_ROLE_ARN, HUB_ROLE_NAME, PYTHON_FUNCTION_ID, WORKLOAD_ACCOUNT, WORKLOAD_STACK_PREFIX,
} from '../../fixtures/hub-app/app';
import type { DemoResult } from '../../fixtures/hub-app/handler';
import { ensurePythonRuntimes, PYTHON_RUNTIME_SETUP_TIMEOUT_MS } from '../../fixtures/hub-app/python-runtime';
import { bedrockOperations, LOCAL_OPERATIONS, RunningExample, startExample, synthesizeExample, SynthesizedExample, templateOf } from '../../fixtures/hub-app/scenario';
import { hubAssumeRoles, isBedrock, signerOf } from '../../fixtures/hub-app/trail';
import { bedrockCallsWithLocalCredentials, describeEvents, failuresOf, resultOf } from '../helpers';

const FUNCTIONS = [['Node', FUNCTION_ID], ['Python', PYTHON_FUNCTION_ID]] as const;

let synthesized: SynthesizedExample;
let running: RunningExample;
let results: Record<'Node' | 'Python', DemoResult>;
let names: Record<'Node' | 'Python', string>;
let events: readonly CloudTrailEvent[];

// The virtualenvs with the Lambda runtime's and the newest boto3 (created on a fresh clone).
beforeAll(ensurePythonRuntimes, PYTHON_RUNTIME_SETUP_TIMEOUT_MS);

beforeAll(async () => {
  // GIVEN one workload stack with a Node and a Python function, and one applyToAll over it
  synthesized = synthesizeExample({ workloads: [{ stackName: WORKLOAD_STACK_PREFIX, python: true }] });
  running = await startExample({ assemblies: [synthesized] });
  const node = await running.startFunction(WORKLOAD_STACK_PREFIX);
  const python = await running.startPythonFunction(WORKLOAD_STACK_PREFIX, { boto3: 'latest' });
  names = {
    Node: running.functionName(WORKLOAD_STACK_PREFIX, FUNCTION_ID),
    Python: running.functionName(WORKLOAD_STACK_PREFIX, PYTHON_FUNCTION_ID),
  };

  // WHEN both run every Bedrock operation and their local calls, side by side
  const operations = [...bedrockOperations(running.hubResources!), ...LOCAL_OPERATIONS];
  const [nodeInvocation, pythonInvocation] = await Promise.all([node.invoke({ operations }), python.invoke({ operations })]);
  results = { Node: resultOf(nodeInvocation), Python: resultOf(pythonInvocation) };
  events = [...running.emulator.cloudTrail.events];
});

afterAll(async () => {
  const problems = await running?.stop();
  synthesized?.dispose();
  expect(problems).toEqual([]);
});

/** A function's resource in the workload template. */
function functionResource(functionId: string): any {
  const resources = templateOf(synthesized, WORKLOAD_STACK_PREFIX).Resources as Record<string, any>;
  return Object.entries(resources).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(functionId))![1];
}

test('the stack mixes runtimes, and the one applyToAll sets the same hub variables on both functions', () => {
  expect(FUNCTIONS.map(([, id]) => functionResource(id).Properties.Runtime)).toEqual(['nodejs22.x', 'python3.13']);
  const hubVariables = FUNCTIONS.map(([, id]) => Object.fromEntries(
    Object.entries(functionResource(id).Properties.Environment.Variables as Record<string, unknown>).filter(([k]) => k.startsWith('BEDROCK_')),
  ));
  expect(hubVariables[0]).toEqual({ BEDROCK_ASSUME_ROLE_ARN: HUB_ROLE_ARN, BEDROCK_ASSUME_ROLE_EXTERNAL_ID: expect.any(String) });
  expect(hubVariables[1]).toEqual(hubVariables[0]);
});

test('both roles may assume exactly the hub role, and neither may call Bedrock', () => {
  const resources = templateOf(synthesized, WORKLOAD_STACK_PREFIX).Resources as Record<string, any>;
  for (const [, id] of FUNCTIONS) {
    const roleId = functionResource(id).Properties.Role['Fn::GetAtt'][0];
    const statements = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((ref: { Ref: string }) => ref.Ref === roleId))
      .flatMap((r) => r.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);
    expect(statements.filter((s) => [s.Action].flat().includes('sts:AssumeRole'))).toEqual([expect.objectContaining({ Resource: HUB_ROLE_ARN })]);
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('bedrock:'))).toEqual([]);
  }
});

test('synthesis reports no error for either function', () => {
  const stack = synthesized.example.workloads[0].stack;
  expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
});

test.each(FUNCTIONS)('the %s function\'s calls all succeed, its Bedrock calls signed as its own hub session', (runtime) => {
  expect(failuresOf(results[runtime])).toEqual([]);
  expect(results[runtime]).toMatchObject({ hubEnabled: true, signedAs: `arn:aws:sts::${HUB_ACCOUNT}:assumed-role/${HUB_ROLE_NAME}/${names[runtime]}` });
});

test('one AssumeRole in the hub per function, each with the function\'s name as session name', () => {
  expect(hubAssumeRoles(events).map((e) => (e.requestParameters as { roleSessionName: string }).roleSessionName).sort())
    .toEqual([names.Node, names.Python].sort());
});

test('every Bedrock call of both functions is in the hub account, under that function\'s hub session', () => {
  const bedrock = events.filter(isBedrock);
  const bySession = (name: string) => bedrock.filter((e) => e.userIdentity.arn === `arn:aws:sts::${HUB_ACCOUNT}:assumed-role/${HUB_ROLE_NAME}/${name}`);
  expect(bySession(names.Node)).toHaveLength(7);
  expect(bySession(names.Python)).toHaveLength(7);
  expect(bedrock.map((e) => `${e.recipientAccountId} ${signerOf(e, events)} ${e.errorCode ?? 'OK'}`)).toEqual(Array(14).fill(`${HUB_ACCOUNT} hub OK`));
  expect(describeEvents(bedrockCallsWithLocalCredentials(events))).toEqual([]);
});

test('the DynamoDB and S3 calls of both functions stay in the workload account', () => {
  const local = events.filter((e) => e.eventSource === 'dynamodb.amazonaws.com' || e.eventSource === 's3.amazonaws.com');
  expect(local).toHaveLength(4);
  for (const event of local) expect(`${event.recipientAccountId} ${signerOf(event, events)}`).toBe(`${WORKLOAD_ACCOUNT} local`);
});
