/**
 * The bundled handler against STS at its worst, in the emulator's Lambda runner: AssumeRole started
 * during INIT (and a prefetch that fails), a burst of cold starts beyond the hub account's STS
 * quota, the primary STS region down, and 50 invocations at once in one environment over three
 * simulated hours. The emulator's clock moves; nothing sleeps for long.
 */
import { describeEvents, failuresOf, resultOf } from './helpers';
import type { ActiveFault, CloudTrailEvent, InvocationResult, LambdaRunner } from '../../emulator';
import { REGION } from '../fixtures/hub-app/accounts';
import { WORKLOAD_STACK_PREFIX } from '../fixtures/hub-app/app';
import { RunningExample, startExample, synthesizeExample, SynthesizedExample } from '../fixtures/hub-app/scenario';
import { hubAssumeRoles, isBedrock } from '../fixtures/hub-app/trail';

const MINUTE = 60_000;
/** What the Lambda service sets in every execution environment: the shim then knows it runs in Lambda. */
const IN_LAMBDA = { AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001' };
const FALLBACK_REGION = 'us-west-2';

let synthesized: SynthesizedExample;
let running: RunningExample;

beforeAll(() => {
  synthesized = synthesizeExample({ workloads: [{ stackName: WORKLOAD_STACK_PREFIX }] });
});

beforeEach(async () => {
  running = await startExample({ assemblies: [synthesized] });
});

afterEach(async () => {
  expect(await running.stop()).toEqual([]);
});

afterAll(() => synthesized?.dispose());

/** Resolves once `condition` holds, checking every 10 ms of real time; fails after `ms`. */
async function eventually(condition: () => boolean, ms = 5_000): Promise<void> {
  const until = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > until) throw new Error('the condition did not come true in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const events = (): readonly CloudTrailEvent[] => running.emulator.cloudTrail.events;
const converse = { operations: [{ op: 'Converse' as const }] };

/** Every invocation succeeded and every call in it. */
function expectAllSucceeded(invocations: readonly InvocationResult[]): void {
  const failed = invocations.flatMap((invocation): unknown[] => (invocation.ok ? failuresOf(resultOf(invocation)) : [invocation.error]));
  expect(failed).toEqual([]);
}

describe('AssumeRole during INIT', () => {
  test('in Lambda, the session at module scope assumes the role before the first invocation, which then makes no STS call', async () => {
    // GIVEN an environment that has only been initialised
    const lambda = await running.startFunction(WORKLOAD_STACK_PREFIX, IN_LAMBDA);
    await eventually(() => hubAssumeRoles(events()).length === 1);

    // WHEN
    const first = await lambda.invoke(converse);

    // THEN
    expectAllSucceeded([first]);
    expect(first.coldStart).toBe(true);
    expect(hubAssumeRoles(events())).toHaveLength(1);
    const [assumed] = hubAssumeRoles(events());
    const [bedrock] = events().filter(isBedrock);
    expect(bedrock.userIdentity.accessKeyId).toBe((assumed.responseElements as { credentials: { accessKeyId: string } }).credentials.accessKeyId);
  });

  test('a failed prefetch fails nothing: the first invocation assumes the role itself and succeeds', async () => {
    // GIVEN STS failing the first AssumeRole only (the one made during INIT)
    const fault = running.emulator.faults.inject({
      service: 'sts',
      operation: 'AssumeRole',
      kind: 'error',
      code: 'AccessDenied',
      status: 403,
      message: 'User: arn:aws:sts::111111111111:assumed-role/fn-role/fn is not authorized to perform: sts:AssumeRole',
      times: 1,
    });
    const lambda = await running.startFunction(WORKLOAD_STACK_PREFIX, IN_LAMBDA);
    await eventually(() => fault.hits === 1);

    // WHEN
    const first = await lambda.invoke(converse);

    // THEN
    expectAllSucceeded([first]);
    expect(hubAssumeRoles(events())).toHaveLength(1);
    expect(lambda.coldStarts).toBe(1);
  });

  test('outside Lambda (no AWS_LAMBDA_RUNTIME_API) nothing is assumed until the first call', async () => {
    const lambda = await running.startFunction(WORKLOAD_STACK_PREFIX);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(hubAssumeRoles(events())).toHaveLength(0);
    expectAllSucceeded([await lambda.invoke(converse)]);
    expect(hubAssumeRoles(events())).toHaveLength(1);
  });
});

test('a burst of cold starts beyond the STS quota: throttled AssumeRoles are retried within the invocation, none fails', async () => {
  // GIVEN an STS quota of 2 AssumeRole per second (burst 2) and 6 environments starting at once;
  // the emulator's clock, on which the quota refills, moves with real time
  running.emulator.setStsQuota({ ratePerSecond: 2, burst: 2 });
  const ticker = setInterval(() => running.clock.advance(50), 50);
  try {
    const environments: LambdaRunner[] = await Promise.all(Array.from({ length: 6 }, () => running.startFunction(WORKLOAD_STACK_PREFIX, IN_LAMBDA)));

    // WHEN
    const invocations = await Promise.all(environments.map((lambda) => lambda.invoke(converse)));

    // THEN every invocation succeeded; some AssumeRoles were throttled on the way
    expectAllSucceeded(invocations);
    const throttled = events().filter((e) => e.eventName === 'AssumeRole' && e.errorCode === 'Throttling');
    // eslint-disable-next-line no-console
    console.log(`burst of 6 against 2 AssumeRole/s: ${hubAssumeRoles(events()).length} answered, ${throttled.length} throttled`);
    expect(hubAssumeRoles(events())).toHaveLength(6);
    expect(throttled.length).toBeGreaterThan(0);
  } finally {
    clearInterval(ticker);
  }
});

test(`the primary STS region down: AssumeRole fails over to ${FALLBACK_REGION}, and the failed region is skipped for the next fetch`, async () => {
  // GIVEN STS in the function's region answering 503, and a fallback region
  const down: ActiveFault = running.emulator.faults.inject({ service: 'sts', region: REGION, kind: 'server-error', status: 503 });
  const lambda = await running.startFunction(WORKLOAD_STACK_PREFIX, { BEDROCK_ASSUME_ROLE_STS_REGIONS: `${REGION},${FALLBACK_REGION}` });

  // WHEN
  const first = await lambda.invoke(converse);
  // 50 minutes on, the credentials need refreshing, and the primary's failure (remembered 60 s) is forgotten
  running.clock.advance(50 * MINUTE);
  const second = await lambda.invoke(converse);

  // THEN both succeeded, with credentials from the fallback region
  expectAllSucceeded([first, second]);
  const assumed = hubAssumeRoles(events());
  expect(assumed.map((e) => e.awsRegion)).toEqual([FALLBACK_REGION, FALLBACK_REGION]);
  // The primary was tried once per fetch, never twice: each fetch cost one failed request at most.
  expect(down.hits).toBe(2);
  expect(describeEvents(events().filter((e) => isBedrock(e) && e.errorCode !== undefined))).toEqual([]);
});

test('50 invocations at once in one environment (AWS_LAMBDA_MAX_CONCURRENCY) over 3 simulated hours: none fails, AssumeRole at most hours + 1 times', async () => {
  // GIVEN one environment taking 50 invocations at once
  const lambda = await running.startFunction(WORKLOAD_STACK_PREFIX, { ...IN_LAMBDA, AWS_LAMBDA_MAX_CONCURRENCY: '50' });
  const hours = 3;
  const burst = (): Promise<InvocationResult[]> => Promise.all(Array.from({ length: 50 }, () => lambda.invoke(converse)));
  const invocations: InvocationResult[] = [];

  // WHEN every 15 simulated minutes, 50 invocations arrive together
  for (let round = 0; round < (hours * 60) / 15; round++) {
    if (round > 0) running.clock.advance(15 * MINUTE);
    invocations.push(...await burst());
  }

  // THEN
  expectAllSucceeded(invocations);
  expect(lambda.coldStarts).toBe(1);
  const assumed = hubAssumeRoles(events());
  // eslint-disable-next-line no-console
  console.log(`multi-concurrency: ${invocations.length} invocations, 50 at once, over ${hours} h: ${assumed.length} AssumeRole`);
  // One-hour credentials refreshed with 15 minutes left: +0, +45, +90, +135.
  expect(assumed.length).toBeLessThanOrEqual(hours + 1);

  // AND when the hub credentials are revoked, 50 invocations at once see ExpiredToken, share one refresh, and succeed
  const [latest] = assumed.slice(-1);
  running.emulator.expireCredentials((latest.responseElements as { credentials: { accessKeyId: string } }).credentials.accessKeyId);
  running.clock.advance(MINUTE);
  expectAllSucceeded(await burst());
  expect(hubAssumeRoles(events())).toHaveLength(assumed.length + 1);
  expect(events().filter((e) => isBedrock(e) && e.errorCode === 'ExpiredTokenException').length).toBeGreaterThan(0);
});
