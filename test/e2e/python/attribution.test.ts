/**
 * The reference's "How to verify", points 2, 3, 4 and 6, for a Python function: the example's
 * python3.13 function (`python_handler/handler.py`, on the Python shim), run as a warm Lambda
 * environment with the template's environment, the execution-role credentials the emulator issued
 * and the boto3 the Lambda runtime ships. The workload role has no Bedrock permission at all;
 * every claim is read from the emulator's CloudTrail.
 */
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { followClock } from '../../../emulator';
import type { CloudTrailEvent, LambdaRunner } from '../../../emulator';
import { HUB_ACCOUNT, HUB_ROLE_ARN, HUB_ROLE_NAME, MODEL_ID, PYTHON_FUNCTION_ID, WORKLOAD_ACCOUNT, WORKLOAD_STACK_PREFIX } from '../../fixtures/hub-app/app';
import type { DemoResult } from '../../fixtures/hub-app/handler';
import { ensurePythonRuntimes, PYTHON_RUNTIME_SETUP_TIMEOUT_MS } from '../../fixtures/hub-app/python-runtime';
import { bedrockOperations, LOCAL_OPERATIONS, RunningExample, startExample, synthesizeExample, SynthesizedExample, templateOf } from '../../fixtures/hub-app/scenario';
import { hubAssumeRoles, hubKeys, isBedrock, localKeys, signerOf } from '../../fixtures/hub-app/trail';
import { bedrockCallsWithLocalCredentials, describeEvents, failuresOf, resultOf } from '../helpers';

const MINUTE = 60_000;
const BEDROCK_OPERATIONS = ['Converse', 'ConverseStream', 'InvokeModel', 'GetInferenceProfile', 'ApplyGuardrail', 'InvokeAgent', 'Retrieve'];

let synthesized: SynthesizedExample;
let running: RunningExample;
let lambda: LambdaRunner;
let functionName: string;
/** The first invocation: every Bedrock operation, then DynamoDB and S3. */
let coverage: DemoResult;
let events: readonly CloudTrailEvent[];

// The virtualenvs with the Lambda runtime's and the newest boto3 (created on a fresh clone).
beforeAll(ensurePythonRuntimes, PYTHON_RUNTIME_SETUP_TIMEOUT_MS);

beforeAll(async () => {
  // GIVEN the example app: a hub, and a workload with a Node and a Python function, neither with Bedrock permission
  synthesized = synthesizeExample({ workloads: [{ stackName: WORKLOAD_STACK_PREFIX, python: true }] });
  running = await startExample({ assemblies: [synthesized] });
  // The newest boto3: the Lambda runtime's (1.34.145) predates GetInferenceProfile (see the coverage test).
  lambda = await running.startPythonFunction(WORKLOAD_STACK_PREFIX, { boto3: 'latest' });
  functionName = running.functionName(WORKLOAD_STACK_PREFIX, PYTHON_FUNCTION_ID);

  // WHEN the warm function is invoked five times within half an hour
  coverage = resultOf(await lambda.invoke({ operations: [...bedrockOperations(running.hubResources!), ...LOCAL_OPERATIONS] }));
  for (let i = 0; i < 4; i++) {
    running.clock.advance(7 * MINUTE);
    expect(failuresOf(resultOf(await lambda.invoke({ operations: [{ op: 'Converse' }, { op: 'PutItem' }] })))).toEqual([]);
  }
  events = [...running.emulator.cloudTrail.events];
});

afterAll(async () => {
  const problems = await running?.stop();
  synthesized?.dispose();
  expect(problems).toEqual([]);
});

describe('2. AssumeRole in the hub', () => {
  test('one AssumeRole event in the hub account for the credential lifetime, whatever the number of invocations', () => {
    expect(lambda.coldStarts).toBe(1);
    expect(hubAssumeRoles(events)).toHaveLength(1);
    expect(hubAssumeRoles(events, { failed: true })).toEqual([]);
  });

  test('its role session name is the Python function\'s name, and the hub sees the workload account as the caller', () => {
    const [assumeRole] = hubAssumeRoles(events);
    expect(functionName).toMatch(/AskPythonFunction/);
    expect(assumeRole).toMatchObject({
      recipientAccountId: HUB_ACCOUNT,
      requestParameters: { roleArn: HUB_ROLE_ARN, roleSessionName: functionName, externalId: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
      userIdentity: { type: 'AWSAccount', accountId: WORKLOAD_ACCOUNT },
    });
  });

  test('the workload account\'s copy shows the Python function\'s execution role calling, signed with its Lambda-issued credentials', () => {
    const copies = events.filter((e) => e.eventName === 'AssumeRole' && e.recipientAccountId === WORKLOAD_ACCOUNT && e.userIdentity.type === 'AssumedRole');
    expect(copies).toHaveLength(1);
    expect(copies[0].userIdentity.arn).toMatch(new RegExp(`^arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/Workload-AskPythonFunctionServiceRole[^/]+/${functionName}$`));
    expect(signerOf(copies[0], events)).toBe('local');
    expect(copies[0].sharedEventID).toBe(hubAssumeRoles(events)[0].sharedEventID);
  });
});

describe('3. Bedrock events under the hub\'s assumed-role session', () => {
  test('every Bedrock event is in the hub account\'s trail, by the hub role\'s session named after the function', () => {
    const bedrock = events.filter(isBedrock);
    expect(bedrock.length).toBe(BEDROCK_OPERATIONS.length + 4);
    for (const event of bedrock) {
      expect(event).toMatchObject({
        recipientAccountId: HUB_ACCOUNT,
        userIdentity: {
          type: 'AssumedRole',
          accountId: HUB_ACCOUNT,
          arn: `arn:aws:sts::${HUB_ACCOUNT}:assumed-role/${HUB_ROLE_NAME}/${functionName}`,
          sessionContext: { sessionIssuer: { type: 'Role', arn: HUB_ROLE_ARN, accountId: HUB_ACCOUNT, userName: HUB_ROLE_NAME } },
        },
      });
      expect(event.errorCode).toBeUndefined();
    }
  });

  test('the workload account\'s trail has no Bedrock event at all', () => {
    expect(describeEvents(events.filter((e) => isBedrock(e) && e.recipientAccountId === WORKLOAD_ACCOUNT))).toEqual([]);
  });

  test('the handler\'s hub session reports the same session (hub.identity())', () => {
    expect(coverage).toMatchObject({ hubEnabled: true, signedAs: `arn:aws:sts::${HUB_ACCOUNT}:assumed-role/${HUB_ROLE_NAME}/${functionName}` });
  });
});

describe('4. Negative test: the workload role has no Bedrock permission', () => {
  test('no policy of the Python function\'s role in the template names a bedrock:* action', () => {
    const resources = templateOf(synthesized, WORKLOAD_STACK_PREFIX).Resources as Record<string, any>;
    const fn = Object.entries(resources).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(PYTHON_FUNCTION_ID))![1];
    expect(fn.Properties.Runtime).toBe('python3.13');
    const roleId = fn.Properties.Role['Fn::GetAtt'][0];
    const actions = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((ref: { Ref: string }) => ref.Ref === roleId))
      .flatMap((r) => r.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat()));
    expect(actions).toContain('sts:AssumeRole');
    expect(actions.filter((a: string) => a.startsWith('bedrock:'))).toEqual([]);
  });

  test('with the Python function\'s own credentials, Bedrock refuses the call', async () => {
    // GIVEN the credentials Lambda gives the function, used directly (what a plain client would do)
    const credentials = await running.emulator.lambdaCredentials(running.functionReference(WORKLOAD_STACK_PREFIX, PYTHON_FUNCTION_ID));
    const client = new BedrockRuntimeClient({ ...running.emulator.clientConfig(credentials), maxAttempts: 1 });
    const restoreDate = followClock(running.clock);

    try {
      // WHEN
      const call = client.send(new ConverseCommand({ modelId: MODEL_ID, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }));

      // THEN
      await expect(call).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: expect.stringMatching(new RegExp(`User: arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/Workload-AskPythonFunctionServiceRole.* is not authorized to perform: bedrock:InvokeModel`)),
      });
    } finally {
      restoreDate();
      client.destroy();
    }
  });

  test('and yet every Bedrock operation of the function succeeded, through the hub', () => {
    expect(failuresOf(coverage)).toEqual([]);
    expect(coverage.results.map((r) => r.op)).toEqual([...BEDROCK_OPERATIONS, 'PutItem', 'PutObject']);
  });
});

describe('6. Coverage: which credentials sign which call', () => {
  test.each(BEDROCK_OPERATIONS)('%s is signed with hub credentials, in the hub account', (operation) => {
    const [first] = events.filter((e) => isBedrock(e) && e.eventName === operation);
    expect(first).toBeDefined();
    expect(hubKeys(events).has(first.userIdentity.accessKeyId!)).toBe(true);
    expect(signerOf(first, events)).toBe('hub');
    expect(first.recipientAccountId).toBe(HUB_ACCOUNT);
  });

  test.each([
    ['DynamoDB PutItem', 'dynamodb.amazonaws.com', 'PutItem'],
    ['S3 PutObject', 's3.amazonaws.com', 'PutObject'],
  ])('%s from the same handler is signed with local credentials, in the workload account', (_, eventSource, eventName) => {
    const calls = events.filter((e) => e.eventSource === eventSource && e.eventName === eventName);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(localKeys(events, functionName).has(call.userIdentity.accessKeyId!)).toBe(true);
      expect(call).toMatchObject({ recipientAccountId: WORKLOAD_ACCOUNT, userIdentity: { accountId: WORKLOAD_ACCOUNT } });
    }
  });

  test('no Bedrock call anywhere was signed with local credentials', () => {
    expect(describeEvents(bedrockCallsWithLocalCredentials(events))).toEqual([]);
  });

  test('on the boto3 the Lambda runtime ships, every operation it knows goes through the hub too', async () => {
    // GIVEN a second environment of the function on boto3 1.34.145, which has no GetInferenceProfile
    const mark = running.emulator.cloudTrail.events.length;
    const shipped = await running.startPythonFunction(WORKLOAD_STACK_PREFIX, { boto3: 'lambda' });

    // WHEN
    const result = resultOf(await shipped.invoke({ operations: [...bedrockOperations(running.hubResources!), ...LOCAL_OPERATIONS] }));
    await shipped.stop();

    // THEN
    const later = running.emulator.cloudTrail.events.slice(mark);
    expect(result.results.map((r) => (r.ok ? r.op : `${r.op}: ${r.error.name}`))).toEqual([
      'Converse', 'ConverseStream', 'InvokeModel', 'GetInferenceProfile: AttributeError', 'ApplyGuardrail', 'InvokeAgent', 'Retrieve', 'PutItem', 'PutObject',
    ]);
    expect(later.filter(isBedrock).map((e) => `${e.eventName} ${e.recipientAccountId} ${signerOf(e, running.emulator.cloudTrail.events)}`))
      .toEqual(BEDROCK_OPERATIONS.filter((o) => o !== 'GetInferenceProfile').map((o) => `${o} ${HUB_ACCOUNT} hub`));
  });

  test('a stray AWS_BEARER_TOKEN_BEDROCK in the function\'s environment does not bypass the hub', async () => {
    // GIVEN a second environment of the function with a Bedrock API key in its variables
    const mark = running.emulator.cloudTrail.events.length;
    const stray = await running.startPythonFunction(WORKLOAD_STACK_PREFIX, { environment: { AWS_BEARER_TOKEN_BEDROCK: 'ABSKstray-bedrock-api-key' }, boto3: 'latest' });

    // WHEN
    const result = resultOf(await stray.invoke({ operations: [{ op: 'Converse' }] }));
    await stray.stop();

    // THEN the call is SigV4-signed with hub credentials, not bearer-authenticated
    expect(failuresOf(result)).toEqual([]);
    const [converse] = running.emulator.cloudTrail.events.slice(mark).filter(isBedrock);
    expect(converse.additionalEventData?.callWithBearerToken).toBeUndefined();
    expect(signerOf(converse, running.emulator.cloudTrail.events)).toBe('hub');
  });
});
