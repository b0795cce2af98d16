/**
 * The reference's "How to verify", point 5, for a Python function: a warm python3.13 environment
 * (the boto3 the Lambda runtime ships) keeps succeeding across three simulated hours. The emulator's
 * clock moves and the function's process sees it at once (its `time.time()` and `datetime` read the
 * clock file); nothing sleeps.
 */
import type { LambdaRunner } from '../../../emulator';
import { PYTHON_FUNCTION_ID, WORKLOAD_STACK_PREFIX } from '../../fixtures/hub-app/app';
import { ensurePythonRuntimes, PYTHON_RUNTIME_SETUP_TIMEOUT_MS } from '../../fixtures/hub-app/python-runtime';
import { RunningExample, startExample, synthesizeExample, SynthesizedExample } from '../../fixtures/hub-app/scenario';
import { expirationOf, hubAssumeRoles, isBedrock } from '../../fixtures/hub-app/trail';
import { describeEvents, failuresOf, resultOf } from '../helpers';

const MINUTE = 60_000;
const HOURS = 3;

let synthesized: SynthesizedExample;
let running: RunningExample;
let lambda: LambdaRunner;
let functionName: string;

// The virtualenvs with the Lambda runtime's and the newest boto3 (created on a fresh clone).
beforeAll(ensurePythonRuntimes, PYTHON_RUNTIME_SETUP_TIMEOUT_MS);

beforeAll(() => {
  synthesized = synthesizeExample({ workloads: [{ stackName: WORKLOAD_STACK_PREFIX, python: true }] });
});

beforeEach(async () => {
  running = await startExample({ assemblies: [synthesized] });
  lambda = await running.startPythonFunction(WORKLOAD_STACK_PREFIX);
  functionName = running.functionName(WORKLOAD_STACK_PREFIX, PYTHON_FUNCTION_ID);
});

afterEach(async () => {
  expect(await running.stop()).toEqual([]);
});

afterAll(() => synthesized?.dispose());

test(`invoked every 5 minutes for ${HOURS} hours: zero failed calls, AssumeRole at most hours + 1 times`, async () => {
  // GIVEN one warm environment, invoked every 5 simulated minutes over 3 hours (t = 0, 5, …, 175 min)
  const invocations = (HOURS * 60) / 5;
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
  console.log(`Python warm refresh over ${HOURS} h: ${invocations} invocations, ${failedInvocations + failedCalls} failed, ` +
    `${assumeRoles.length} AssumeRole in the hub at +${assumeRoles.map((e) => minutesAt(e.eventTime)).join(', +')} min`);
  expect(running.clock.now() - start).toBe((HOURS * 60 - 5) * MINUTE);
  expect(lambda.coldStarts).toBe(1);
  expect([failedInvocations, failedCalls]).toEqual([0, 0]);
  expect(describeEvents(events.filter((e) => e.errorCode !== undefined))).toEqual([]);
  expect(bedrock).toHaveLength(invocations * 2);
  expect(assumeRoles.length).toBeLessThanOrEqual(HOURS + 1);
  // One-hour credentials (role chaining), refreshed by botocore at the first call with 15 minutes or
  // less left (the shim's advisory window): every 45 minutes, at +0 (during INIT), +45, +90 and +135.
  expect(assumeRoles.map((e) => minutesAt(e.eventTime))).toEqual([0, 45, 90, 135]);
  const sessionNames = assumeRoles.map((e) => (e.requestParameters as { roleSessionName: string }).roleSessionName);
  expect(sessionNames).toEqual(Array(assumeRoles.length).fill(functionName));
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

test('the function\'s process tells the emulator\'s time: time.time() and datetime follow the clock', async () => {
  // GIVEN a warm function, and the clock moved six hours ahead of the wall clock (within the
  // 12 hours of the execution role's credentials)
  expect(failuresOf(resultOf(await lambda.invoke({ operations: [{ op: 'Converse' }] })))).toEqual([]);
  running.clock.advance(6 * 60 * MINUTE);

  // WHEN
  const result = resultOf(await lambda.invoke({ operations: [{ op: 'Converse' }] }));

  // THEN the call was signed at the emulator's time (SigV4 allows 15 minutes of skew), on fresh credentials
  expect(failuresOf(result)).toEqual([]);
  const [, converse] = running.emulator.cloudTrail.events.filter(isBedrock);
  expect(Math.abs(Date.parse(converse.eventTime) - running.clock.now())).toBeLessThan(MINUTE);
  expect(Date.parse(converse.eventTime) - Date.now()).toBeGreaterThan(5 * 60 * MINUTE);
});
