/**
 * The reference's "How to verify", point 1, for a Python function: parameter mode deployed with an
 * empty `BedrockHubRoleArn` behaves exactly as before. The Python function gets no hub variable and
 * no AssumeRole permission, and the shim's `get_bedrock_session()` is a plain boto3 session: its
 * Bedrock calls go out with the function's own credentials, in its own account, under its own
 * policy. The same template with the parameter set goes through the hub.
 */
import type { CloudTrailEvent, ResolvedStack } from '../../../emulator';
import { HUB_ACCOUNT, HubAccessMode, hubParameters, PYTHON_FUNCTION_ID, WORKLOAD_ACCOUNT } from '../../fixtures/hub-app/app';
import type { DemoResult, Operation } from '../../fixtures/hub-app/handler';
import { ensurePythonRuntimes, PYTHON_RUNTIME_SETUP_TIMEOUT_MS } from '../../fixtures/hub-app/python-runtime';
import { LOCAL_OPERATIONS, RunningExample, startExample, synthesizeExample, SynthesizedExample } from '../../fixtures/hub-app/scenario';
import { hubAssumeRoles, isBedrock, signerOf } from '../../fixtures/hub-app/trail';
import { describeEvents, failuresOf, resultOf } from '../helpers';

/** The functions' roles may invoke models in their own account; hub access comes from parameters. */
const PARAMETER_STACK = 'WorkloadParams';
/** The same functions without BedrockHubAccess at all: what "as before" means. */
const PLAIN_STACK = 'WorkloadPlain';
const OPERATIONS: Operation[] = [{ op: 'Converse' }, { op: 'ConverseStream' }, { op: 'InvokeModel' }, ...LOCAL_OPERATIONS];

let synthesized: SynthesizedExample;

// The virtualenvs with the Lambda runtime's and the newest boto3 (created on a fresh clone).
beforeAll(ensurePythonRuntimes, PYTHON_RUNTIME_SETUP_TIMEOUT_MS);

beforeAll(() => {
  synthesized = synthesizeExample({
    workloads: [
      { stackName: PARAMETER_STACK, mode: HubAccessMode.PARAMETERS, localBedrockPermission: true, python: true },
      { stackName: PLAIN_STACK, mode: HubAccessMode.NONE, localBedrockPermission: true, python: true },
    ],
  });
});

afterAll(() => synthesized?.dispose());

/** Policy statements attached to the Python function's role, with stack-specific names taken out. */
function pythonRolePolicy(stack: ResolvedStack): unknown[] {
  const fn = stack.functions.find((f) => f.logicalId.startsWith(PYTHON_FUNCTION_ID))!;
  const roleName = fn.roleArn.split('/').pop();
  return stack.policies
    .filter((p) => p.roleNames.includes(roleName!))
    .flatMap((p) => p.policy.document.Statement as unknown[])
    .map((s) => JSON.parse(JSON.stringify(s)
      .replace(new RegExp(stack.stackName, 'gi'), '<stack>')
      .replace(/-[A-Z0-9]{13}\b|-[a-z0-9]{12}\b/g, '-<id>')));
}

describe('Python function, BedrockHubRoleArn empty', () => {
  let running: RunningExample;
  let result: DemoResult;
  let events: readonly CloudTrailEvent[];
  let functionName: string;

  beforeAll(async () => {
    // GIVEN the parameter-mode stack deployed with every hub parameter left empty
    running = await startExample({ assemblies: [synthesized], parameters: { [PARAMETER_STACK]: hubParameters('off') } });
    functionName = running.functionName(PARAMETER_STACK, PYTHON_FUNCTION_ID);

    // WHEN its Python function runs
    const lambda = await running.startPythonFunction(PARAMETER_STACK);
    result = resultOf(await lambda.invoke({ operations: OPERATIONS }));
    events = [...running.emulator.cloudTrail.events];
  });

  afterAll(async () => {
    expect(await running.stop()).toEqual([]);
  });

  test('the deployed function has no BEDROCK_ASSUME_ROLE_* variable, exactly as without the construct', () => {
    const deployed = running.emulator.lambdaFunction(running.functionReference(PARAMETER_STACK, PYTHON_FUNCTION_ID));
    const plain = running.emulator.lambdaFunction(running.functionReference(PLAIN_STACK, PYTHON_FUNCTION_ID));
    expect(deployed.runtime).toBe('python3.13');
    expect(Object.keys(deployed.environment).filter((k) => k.startsWith('BEDROCK_'))).toEqual([]);
    expect(Object.keys(deployed.environment).sort()).toEqual(Object.keys(plain.environment).sort());
  });

  test('its role gets no sts:AssumeRole statement: the same policy as without the construct', () => {
    const [parameterStack, plainStack] = [PARAMETER_STACK, PLAIN_STACK].map((name) => running.stacks.find((s) => s.stackName === name)!);
    expect(JSON.stringify(pythonRolePolicy(parameterStack))).not.toContain('sts:AssumeRole');
    expect(pythonRolePolicy(parameterStack)).toEqual(pythonRolePolicy(plainStack));
  });

  test('every call succeeds with hub mode off', () => {
    expect(failuresOf(result)).toEqual([]);
    expect(result.hubEnabled).toBe(false);
    expect(result.signedAs).toBeUndefined();
  });

  test('Bedrock calls go out with the function\'s own credentials, in the workload account, under its own role', () => {
    const bedrock = events.filter(isBedrock);
    expect(bedrock.map((e) => e.eventName)).toEqual(['Converse', 'ConverseStream', 'InvokeModel']);
    for (const event of bedrock) {
      expect(signerOf(event, events)).toBe('local');
      expect(event).toMatchObject({
        recipientAccountId: WORKLOAD_ACCOUNT,
        userIdentity: { accountId: WORKLOAD_ACCOUNT, arn: expect.stringMatching(new RegExp(`:assumed-role/${PARAMETER_STACK}-AskPythonFunctionServiceRole[^/]+/${functionName}$`)) },
      });
    }
  });

  test('nothing reaches STS or the hub account', () => {
    expect(describeEvents(events.filter((e) => e.eventName === 'AssumeRole' && e.userIdentity.invokedBy !== 'lambda.amazonaws.com'))).toEqual([]);
    expect(describeEvents(events.filter((e) => e.recipientAccountId === HUB_ACCOUNT))).toEqual([]);
  });

  test('the function\'s own policy still decides: a call it does not allow is denied in the workload account, unexplained', async () => {
    // WHEN the function makes a call its role's policy has no statement for (on the newest boto3, which has GetInferenceProfile)
    const lambda = await running.startPythonFunction(PARAMETER_STACK, { boto3: 'latest' });
    const denied = resultOf(await lambda.invoke({ operations: [{ op: 'GetInferenceProfile', inferenceProfileIdentifier: 'us.anthropic.claude-3-haiku-20240307-v1:0' }] }));

    // THEN Bedrock's own error comes through, as it would without the shim
    expect(denied.results).toEqual([{
      op: 'GetInferenceProfile',
      ok: false,
      error: expect.objectContaining({ name: 'AccessDeniedException', code: 'AccessDeniedException', message: expect.stringContaining('bedrock:GetInferenceProfile') }),
    }]);
    const [event] = running.emulator.cloudTrail.events.filter((e) => e.eventName === 'GetInferenceProfile');
    expect(event).toMatchObject({ recipientAccountId: WORKLOAD_ACCOUNT, errorCode: 'AccessDeniedException' });
  });
});

describe('Python function, BedrockHubRoleArn set: the same template goes through the hub', () => {
  let running: RunningExample;
  let result: DemoResult;
  let events: readonly CloudTrailEvent[];

  beforeAll(async () => {
    // GIVEN the same parameter-mode template, deployed with the hub role and ExternalId
    running = await startExample({ assemblies: [synthesized], parameters: { [PARAMETER_STACK]: hubParameters('on') } });
    const lambda = await running.startPythonFunction(PARAMETER_STACK);

    // WHEN
    result = resultOf(await lambda.invoke({ operations: OPERATIONS }));
    events = [...running.emulator.cloudTrail.events];
  });

  afterAll(async () => {
    expect(await running.stop()).toEqual([]);
  });

  test('the function gets the hub variables and every call succeeds', () => {
    const deployed = running.emulator.lambdaFunction(running.functionReference(PARAMETER_STACK, PYTHON_FUNCTION_ID));
    expect(Object.keys(deployed.environment).filter((k) => k.startsWith('BEDROCK_')).sort())
      .toEqual(['BEDROCK_ASSUME_ROLE_ARN', 'BEDROCK_ASSUME_ROLE_EXTERNAL_ID']);
    expect(failuresOf(result)).toEqual([]);
    expect(result.hubEnabled).toBe(true);
  });

  test('Bedrock calls go through the hub even though the function\'s own role may still call Bedrock', () => {
    expect(hubAssumeRoles(events)).toHaveLength(1);
    const bedrock = events.filter(isBedrock);
    expect(bedrock).toHaveLength(3);
    expect(bedrock.map((e) => `${e.recipientAccountId} ${signerOf(e, events)}`)).toEqual(Array(3).fill(`${HUB_ACCOUNT} hub`));
  });
});
