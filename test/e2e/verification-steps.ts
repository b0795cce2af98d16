/**
 * The reference's "How to verify" steps, written once and run for each runtime's function in the
 * example workload: the Node.js function (`handler.ts`, on the Node shim) and the Python one
 * (`python_handler/handler.py`, on the Python shim). Each step registers its hooks and tests in the
 * calling suite; what differs between the runtimes is in {@link FunctionUnderTest}, and a suite adds
 * the tests that only its runtime has.
 */
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { bedrockCallsWithLocalCredentials, describeEvents, failuresOf, resultOf } from './helpers';
import { followClock } from '../../emulator';
import type { CloudTrailEvent, LambdaRunner, ResolvedStack } from '../../emulator';
import {
  FUNCTION_ID, HUB_ACCOUNT, HUB_ROLE_ARN, HUB_ROLE_NAME, HubAccessMode, hubParameters, MODEL_ID, PYTHON_FUNCTION_ID, WORKLOAD_ACCOUNT,
  WORKLOAD_STACK_PREFIX,
} from '../fixtures/hub-app/app';
import type { DemoResult, Operation } from '../fixtures/hub-app/handler';
import type { Boto3Lock } from '../fixtures/hub-app/python-runtime';
import { bedrockOperations, LOCAL_OPERATIONS, RunningExample, startExample, synthesizeExample, SynthesizedExample, templateOf } from '../fixtures/hub-app/scenario';
import { expirationOf, hubAssumeRoles, hubKeys, isBedrock, localKeys, signerOf } from '../fixtures/hub-app/trail';

const MINUTE = 60_000;

/** How a warm environment of a function is started. */
export interface StartOptions {
  /** Variables added to the function's environment. */
  readonly environment?: Record<string, string>;
  /** For a Python function, the boto3 lock it runs with (default: the Lambda runtime's). */
  readonly boto3?: Boto3Lock;
}

/** One runtime's function in the example workload stack. */
export interface FunctionUnderTest {
  /** Its construct id in the workload stack: the prefix of its logical ids and role name. */
  readonly functionId: string;
  /** Its Lambda runtime identifier. */
  readonly runtime: string;
  /** Whether the workload stack needs its Python function added. */
  readonly python: boolean;
  /** Starts a warm environment of the function in `stackName`. */
  start(running: RunningExample, stackName: string, options?: StartOptions): Promise<LambdaRunner>;
}

/** The example's Node.js function (`handler.ts`, bundled with the Node shim). */
export const NODE_FUNCTION: FunctionUnderTest = {
  functionId: FUNCTION_ID,
  runtime: 'nodejs22.x',
  python: false,
  start: (running, stackName, options = {}) => running.startFunction(stackName, options.environment),
};

/** The example's Python function (`python_handler/handler.py`, on the Python shim). */
export const PYTHON_FUNCTION: FunctionUnderTest = {
  functionId: PYTHON_FUNCTION_ID,
  runtime: 'python3.13',
  python: true,
  start: (running, stackName, options) => running.startPythonFunction(stackName, options),
};

/** The example app, started, and one function of its workload running warm. */
export interface WarmFunction {
  readonly synthesized: SynthesizedExample;
  readonly running: RunningExample;
  readonly lambda: LambdaRunner;
  readonly functionName: string;
}

/** Test titles that name the function in the runtime's own words. */
export interface AttributionTitles {
  readonly sessionName: string;
  readonly workloadCopy: string;
  readonly handlerSession: string;
  readonly noBedrockPolicy: string;
  readonly ownCredentialsRefused: string;
}

export interface AttributionOptions {
  readonly titles: AttributionTitles;
  /** How the suite's function is started (default: as {@link FunctionUnderTest.start} does). */
  readonly startOptions?: StartOptions;
  /** Registers tests of step 6 that only this runtime has. */
  readonly moreCoverageTests?: (context: () => WarmFunction) => void;
}

/**
 * Points 2, 3, 4 and 6: the function, whose role has no Bedrock permission, is invoked five times
 * within half an hour; every claim is read from the emulator's CloudTrail.
 */
export function verifyAttribution(fn: FunctionUnderTest, options: AttributionOptions): void {
  const { titles } = options;
  const bedrockOperationNames = ['Converse', 'ConverseStream', 'InvokeModel', 'GetInferenceProfile', 'ApplyGuardrail', 'InvokeAgent', 'Retrieve'];
  let synthesized: SynthesizedExample;
  let running: RunningExample;
  let lambda: LambdaRunner;
  let functionName: string;
  /** The first invocation: every Bedrock operation, then DynamoDB and S3. */
  let coverage: DemoResult;
  let events: readonly CloudTrailEvent[];

  beforeAll(async () => {
    // GIVEN the example app: a hub, and a workload whose function's role has no Bedrock permission
    synthesized = synthesizeExample({ workloads: [{ stackName: WORKLOAD_STACK_PREFIX, python: fn.python }] });
    running = await startExample({ assemblies: [synthesized] });
    lambda = await fn.start(running, WORKLOAD_STACK_PREFIX, options.startOptions);
    functionName = running.functionName(WORKLOAD_STACK_PREFIX, fn.functionId);

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

    test(titles.sessionName, () => {
      const [assumeRole] = hubAssumeRoles(events);
      expect(functionName).toMatch(new RegExp(`-${fn.functionId}`));
      expect(assumeRole).toMatchObject({
        recipientAccountId: HUB_ACCOUNT,
        requestParameters: { roleArn: HUB_ROLE_ARN, roleSessionName: functionName, externalId: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
        userIdentity: { type: 'AWSAccount', accountId: WORKLOAD_ACCOUNT },
      });
    });

    test(titles.workloadCopy, () => {
      const copies = events.filter((e) => e.eventName === 'AssumeRole' && e.recipientAccountId === WORKLOAD_ACCOUNT && e.userIdentity.type === 'AssumedRole');
      expect(copies).toHaveLength(1);
      expect(copies[0].userIdentity.arn).toMatch(new RegExp(`^arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/${WORKLOAD_STACK_PREFIX}-${fn.functionId}ServiceRole[^/]+/${functionName}$`));
      expect(signerOf(copies[0], events)).toBe('local');
      expect(copies[0].sharedEventID).toBe(hubAssumeRoles(events)[0].sharedEventID);
    });
  });

  describe('3. Bedrock events under the hub\'s assumed-role session', () => {
    test('every Bedrock event is in the hub account\'s trail, by the hub role\'s session named after the function', () => {
      const bedrock = events.filter(isBedrock);
      expect(bedrock.length).toBe(bedrockOperationNames.length + 4);
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

    test(titles.handlerSession, () => {
      expect(coverage).toMatchObject({ hubEnabled: true, signedAs: `arn:aws:sts::${HUB_ACCOUNT}:assumed-role/${HUB_ROLE_NAME}/${functionName}` });
    });
  });

  describe('4. Negative test: the workload role has no Bedrock permission', () => {
    test(titles.noBedrockPolicy, () => {
      const resources = templateOf(synthesized, WORKLOAD_STACK_PREFIX).Resources as Record<string, any>;
      const [, lambdaFunction] = Object.entries(resources).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(fn.functionId))!;
      expect(lambdaFunction.Properties.Runtime).toBe(fn.runtime);
      const roleId = lambdaFunction.Properties.Role['Fn::GetAtt'][0];
      const actions = Object.values(resources)
        .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((ref: { Ref: string }) => ref.Ref === roleId))
        .flatMap((r) => r.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat()));
      expect(actions).toContain('sts:AssumeRole');
      expect(actions.filter((a: string) => a.startsWith('bedrock:'))).toEqual([]);
    });

    test(titles.ownCredentialsRefused, async () => {
      // GIVEN the credentials Lambda gives the function, used directly (what a plain client would do)
      const credentials = await running.emulator.lambdaCredentials(running.functionReference(WORKLOAD_STACK_PREFIX, fn.functionId));
      const client = new BedrockRuntimeClient({ ...running.emulator.clientConfig(credentials), maxAttempts: 1 });
      const restoreDate = followClock(running.clock); // this process signs at the emulator's time too

      try {
        // WHEN
        const call = client.send(new ConverseCommand({ modelId: MODEL_ID, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }));

        // THEN
        await expect(call).rejects.toMatchObject({
          name: 'AccessDeniedException',
          message: expect.stringMatching(new RegExp(`User: arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/${WORKLOAD_STACK_PREFIX}-${fn.functionId}ServiceRole.* is not authorized to perform: bedrock:InvokeModel`)),
        });
      } finally {
        restoreDate();
        client.destroy();
      }
    });

    test('and yet every Bedrock operation of the function succeeded, through the hub', () => {
      expect(failuresOf(coverage)).toEqual([]);
      expect(coverage.results.map((r) => r.op)).toEqual([...bedrockOperationNames, 'PutItem', 'PutObject']);
    });
  });

  describe('6. Coverage: which credentials sign which call', () => {
    test.each(bedrockOperationNames)('%s is signed with hub credentials, in the hub account', (operation) => {
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

    options.moreCoverageTests?.(() => ({ synthesized, running, lambda, functionName }));

    test('a stray AWS_BEARER_TOKEN_BEDROCK in the function\'s environment does not bypass the hub', async () => {
      // GIVEN a second environment of the function with a Bedrock API key in its variables
      const mark = running.emulator.cloudTrail.events.length;
      const stray = await fn.start(running, WORKLOAD_STACK_PREFIX, { ...options.startOptions, environment: { AWS_BEARER_TOKEN_BEDROCK: 'ABSKstray-bedrock-api-key' } });

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
}

/**
 * Point 5: a warm function keeps succeeding across three simulated hours, each test on a fresh
 * start of the example app. Returns the current test's app and function, for a suite's own tests.
 */
export function verifyWarmRefresh(fn: FunctionUnderTest, logLabel: string): () => WarmFunction {
  const hours = 3;
  let synthesized: SynthesizedExample;
  let running: RunningExample;
  let lambda: LambdaRunner;
  let functionName: string;

  beforeAll(() => {
    synthesized = synthesizeExample({ workloads: [{ stackName: WORKLOAD_STACK_PREFIX, python: fn.python }] });
  });

  beforeEach(async () => {
    running = await startExample({ assemblies: [synthesized] });
    lambda = await fn.start(running, WORKLOAD_STACK_PREFIX);
    functionName = running.functionName(WORKLOAD_STACK_PREFIX, fn.functionId);
  });

  afterEach(async () => {
    expect(await running.stop()).toEqual([]);
  });

  afterAll(() => synthesized?.dispose());

  test(`invoked every 5 minutes for ${hours} hours: zero failed calls, AssumeRole at most hours + 1 times`, async () => {
    // GIVEN one warm environment, invoked every 5 simulated minutes over 3 hours (t = 0, 5, …, 175 min)
    const invocations = (hours * 60) / 5;
    const start = running.clock.now();
    /** Minutes from the start to an event (CloudTrail times have whole seconds). */
    const minutesAt = (eventTime: string): number => Math.round((Date.parse(eventTime) - Math.floor(start / 1000) * 1000) / MINUTE);
    let failedInvocations = 0;
    let failedCalls = 0;

    // WHEN
    for (let i = 0; i < invocations; i++) {
      if (i > 0) running.clock.advance(5 * MINUTE);
      const invocation = await lambda.invoke({ operations: [{ op: 'Converse' }, { op: 'ConverseStream' }, { op: 'PutItem' }] });
      if (!invocation.ok) {
        failedInvocations++;
      } else {
        failedCalls += failuresOf(resultOf(invocation)).length;
      }
    }

    // THEN
    const events = running.emulator.cloudTrail.events;
    const assumeRoles = hubAssumeRoles(events);
    const bedrock = events.filter(isBedrock);
    // The numbers the project reports for this run.
    // eslint-disable-next-line no-console
    console.log(`${logLabel} over ${hours} h: ${invocations} invocations, ${failedInvocations + failedCalls} failed, ` +
      `${assumeRoles.length} AssumeRole in the hub at +${assumeRoles.map((e) => minutesAt(e.eventTime)).join(', +')} min`);
    expect(running.clock.now() - start).toBe((hours * 60 - 5) * MINUTE);
    expect(lambda.coldStarts).toBe(1);
    expect([failedInvocations, failedCalls]).toEqual([0, 0]);
    expect(describeEvents(events.filter((e) => e.errorCode !== undefined))).toEqual([]);
    expect(bedrock).toHaveLength(invocations * 2);
    expect(assumeRoles.length).toBeLessThanOrEqual(hours + 1);
    // One-hour credentials (role chaining), refreshed at the first call with 15 minutes or less left
    // (the shims' advisory window): every 45 minutes, at +0 (the Python shim: during INIT), +45, +90 and +135.
    expect(assumeRoles.map((e) => minutesAt(e.eventTime))).toEqual([0, 45, 90, 135]);
    expect(assumeRoles.map((e) => (e.requestParameters as { roleSessionName: string }).roleSessionName)).toEqual(Array(4).fill(functionName));
  });

  test('no Bedrock call is signed with credentials in their last 10 minutes', async () => {
    // GIVEN calls every 4 minutes, so some fall in each credential set's last quarter hour
    for (let i = 0; i < 40; i++) {
      if (i > 0) running.clock.advance(4 * MINUTE);
      expect(failuresOf(resultOf(await lambda.invoke({ operations: [{ op: 'Converse' }] })))).toEqual([]);
    }

    // THEN
    const events = running.emulator.cloudTrail.events;
    const minutesLeft = events.filter(isBedrock).map((e) => (expirationOf(e.userIdentity.accessKeyId!, events)! - Date.parse(e.eventTime)) / MINUTE);
    expect(minutesLeft).toHaveLength(40);
    expect(Math.min(...minutesLeft)).toBeGreaterThan(10);
  });

  test('after more than an hour idle, the next invocation refreshes once and succeeds', async () => {
    // GIVEN a call, then two hours without any (the credentials expired meanwhile)
    expect(failuresOf(resultOf(await lambda.invoke({ operations: [{ op: 'Converse' }] })))).toEqual([]);
    running.clock.advance(2 * 60 * MINUTE);

    // WHEN
    const later = resultOf(await lambda.invoke({ operations: [{ op: 'Converse' }, { op: 'InvokeModel' }] }));

    // THEN
    expect(failuresOf(later)).toEqual([]);
    expect(lambda.coldStarts).toBe(1);
    expect(hubAssumeRoles(running.emulator.cloudTrail.events)).toHaveLength(2);
  });

  test('hub credentials revoked early (ExpiredToken): the call is retried once with fresh ones and succeeds', async () => {
    // GIVEN a warm function whose hub credentials the emulator then expires
    expect(failuresOf(resultOf(await lambda.invoke({ operations: [{ op: 'Converse' }] })))).toEqual([]);
    const [first] = hubAssumeRoles(running.emulator.cloudTrail.events);
    running.emulator.expireCredentials((first.responseElements as { credentials: { accessKeyId: string } }).credentials.accessKeyId);
    running.clock.advance(MINUTE);

    // WHEN
    const result = resultOf(await lambda.invoke({ operations: [{ op: 'Converse' }] }));

    // THEN one ExpiredTokenException, one more AssumeRole, and the retried call succeeded
    expect(failuresOf(result)).toEqual([]);
    const events = running.emulator.cloudTrail.events;
    expect(hubAssumeRoles(events)).toHaveLength(2);
    expect(events.filter(isBedrock).map((e) => e.errorCode ?? 'OK')).toEqual(['OK', 'ExpiredTokenException', 'OK']);
  });

  return () => ({ synthesized, running, lambda, functionName });
}

export interface HubModeOffOptions {
  /** Put before each describe block's title (the Python suite names its function). */
  readonly describePrefix: string;
  /** The title of the test that the function's own policy still decides. */
  readonly ownPolicyTitle: string;
  /** How the function is started for that test (a Python function needs a boto3 with GetInferenceProfile). */
  readonly ownPolicyStartOptions?: StartOptions;
}

/**
 * Point 1 (the most important): parameter mode deployed with an empty `BedrockHubRoleArn` behaves
 * exactly as before; the same template with the parameter set goes through the hub.
 */
export function verifyHubModeOff(fn: FunctionUnderTest, options: HubModeOffOptions): void {
  /** The function's role may invoke models in its own account; hub access comes from parameters. */
  const parameterStack = 'WorkloadParams';
  /** The same function without BedrockHubAccess at all: what "as before" means. */
  const plainStack = 'WorkloadPlain';
  const operations: Operation[] = [{ op: 'Converse' }, { op: 'ConverseStream' }, { op: 'InvokeModel' }, ...LOCAL_OPERATIONS];
  let synthesized: SynthesizedExample;

  beforeAll(() => {
    synthesized = synthesizeExample({
      workloads: [
        { stackName: parameterStack, mode: HubAccessMode.PARAMETERS, localBedrockPermission: true, python: fn.python },
        { stackName: plainStack, mode: HubAccessMode.NONE, localBedrockPermission: true, python: fn.python },
      ],
    });
  });

  afterAll(() => synthesized?.dispose());

  /** The parameter-mode stack deployed with the hub parameters `on` or `off`, and its function run once. */
  async function runParameterStack(hub: 'on' | 'off'): Promise<{ running: RunningExample; result: DemoResult; events: CloudTrailEvent[] }> {
    const running = await startExample({ assemblies: [synthesized], parameters: { [parameterStack]: hubParameters(hub) } });
    const lambda = await fn.start(running, parameterStack);
    const result = resultOf(await lambda.invoke({ operations }));
    return { running, result, events: [...running.emulator.cloudTrail.events] };
  }

  /** Policy statements attached to the function's role, with stack-specific names taken out. */
  function rolePolicy(stack: ResolvedStack): unknown[] {
    const roleName = stack.functions.find((f) => f.logicalId.startsWith(fn.functionId))!.roleArn.split('/').pop();
    return stack.policies
      .filter((p) => p.roleNames.includes(roleName!))
      .flatMap((p) => p.policy.document.Statement as unknown[])
      .map((s) => JSON.parse(JSON.stringify(s)
        .replace(new RegExp(stack.stackName, 'gi'), '<stack>')
        .replace(/-[A-Z0-9]{13}\b|-[a-z0-9]{12}\b/g, '-<id>')));
  }

  /** The hub variables (BEDROCK_*) in the deployed function's environment. */
  const hubVariables = (running: RunningExample, stackName: string): string[] =>
    Object.keys(running.emulator.lambdaFunction(running.functionReference(stackName, fn.functionId)).environment).filter((k) => k.startsWith('BEDROCK_')).sort();

  describe(`${options.describePrefix}BedrockHubRoleArn empty`, () => {
    let running: RunningExample;
    let result: DemoResult;
    let events: readonly CloudTrailEvent[];
    let functionName: string;

    beforeAll(async () => {
      // GIVEN the parameter-mode stack deployed with every hub parameter left empty, WHEN its function runs
      ({ running, result, events } = await runParameterStack('off'));
      functionName = running.functionName(parameterStack, fn.functionId);
    });

    afterAll(async () => {
      expect(await running.stop()).toEqual([]);
    });

    test('the deployed function has no BEDROCK_ASSUME_ROLE_* variable, exactly as without the construct', () => {
      const deployed = running.emulator.lambdaFunction(running.functionReference(parameterStack, fn.functionId));
      const plain = running.emulator.lambdaFunction(running.functionReference(plainStack, fn.functionId));
      expect(deployed.runtime).toBe(fn.runtime);
      expect(hubVariables(running, parameterStack)).toEqual([]);
      expect(Object.keys(deployed.environment).sort()).toEqual(Object.keys(plain.environment).sort());
    });

    test('its role gets no sts:AssumeRole statement: the same policy as without the construct', () => {
      const [withParameters, plain] = [parameterStack, plainStack].map((name) => running.stacks.find((s) => s.stackName === name)!);
      expect(JSON.stringify(rolePolicy(withParameters))).not.toContain('sts:AssumeRole');
      expect(rolePolicy(withParameters)).toEqual(rolePolicy(plain));
      expect(withParameters.skipped).toEqual([expect.stringMatching(/^BedrockHubAssumeHubRolePolicy/)]);
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
          userIdentity: { accountId: WORKLOAD_ACCOUNT, arn: expect.stringMatching(new RegExp(`:assumed-role/${parameterStack}-${fn.functionId}ServiceRole[^/]+/${functionName}$`)) },
        });
      }
    });

    test('nothing reaches STS or the hub account', () => {
      expect(describeEvents(events.filter((e) => e.eventName === 'AssumeRole' && e.userIdentity.invokedBy !== 'lambda.amazonaws.com'))).toEqual([]);
      expect(describeEvents(events.filter((e) => e.recipientAccountId === HUB_ACCOUNT))).toEqual([]);
    });

    test(options.ownPolicyTitle, async () => {
      // WHEN the function makes a call its role's policy has no statement for
      const lambda = await fn.start(running, parameterStack, options.ownPolicyStartOptions);
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

  describe(`${options.describePrefix}BedrockHubRoleArn set: the same template goes through the hub`, () => {
    let running: RunningExample;
    let result: DemoResult;
    let events: readonly CloudTrailEvent[];

    beforeAll(async () => {
      // GIVEN the same parameter-mode template, deployed with the hub role and ExternalId, WHEN its function runs
      ({ running, result, events } = await runParameterStack('on'));
    });

    afterAll(async () => {
      expect(await running.stop()).toEqual([]);
    });

    test('the function gets the hub variables and every call succeeds', () => {
      expect(hubVariables(running, parameterStack)).toEqual(['BEDROCK_ASSUME_ROLE_ARN', 'BEDROCK_ASSUME_ROLE_EXTERNAL_ID']);
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
}
