/**
 * The Python function against STS at its worst, in the emulator's Lambda runner (python3.13, the boto3
 * the Lambda runtime ships): the primary STS region down with a fallback region configured, and a
 * burst of cold starts beyond the account's STS quota. The Node function's cases are in
 * `test/e2e/sts-resilience.test.ts`.
 */
import type { CloudTrailEvent, InvocationResult, LambdaRunner } from '../../../emulator';
import { REGION } from '../../fixtures/hub-app/accounts';
import { WORKLOAD_STACK_PREFIX } from '../../fixtures/hub-app/app';
import { ensurePythonRuntimes, PYTHON_RUNTIME_SETUP_TIMEOUT_MS } from '../../fixtures/hub-app/python-runtime';
import { RunningExample, startExample, synthesizeExample, SynthesizedExample } from '../../fixtures/hub-app/scenario';
import { hubAssumeRoles } from '../../fixtures/hub-app/trail';
import { failuresOf, resultOf } from '../helpers';

const MINUTE = 60_000;
/** What the Lambda service sets in every execution environment: the shim then knows it runs in Lambda. */
const IN_LAMBDA = { AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001' };
const FALLBACK_REGION = 'us-west-2';
const converse = { operations: [{ op: 'Converse' as const }] };

let synthesized: SynthesizedExample;
let running: RunningExample;

// The virtualenvs with the Lambda runtime's and the newest boto3 (created on a fresh clone).
beforeAll(ensurePythonRuntimes, PYTHON_RUNTIME_SETUP_TIMEOUT_MS);

beforeAll(() => {
  synthesized = synthesizeExample({ workloads: [{ stackName: WORKLOAD_STACK_PREFIX, python: true }] });
});

beforeEach(async () => {
  running = await startExample({ assemblies: [synthesized] });
});

afterEach(async () => {
  expect(await running.stop()).toEqual([]);
});

afterAll(() => synthesized?.dispose());

const events = (): readonly CloudTrailEvent[] => running.emulator.cloudTrail.events;

function expectAllSucceeded(invocations: readonly InvocationResult[]): void {
  const failed = invocations.flatMap((invocation): unknown[] => (invocation.ok ? failuresOf(resultOf(invocation)) : [invocation.error]));
  expect(failed).toEqual([]);
}

test(`the primary STS region down: the Python shim fails over to ${FALLBACK_REGION} and skips the failed region for a minute`, async () => {
  // GIVEN STS in the function's region answering 503, and a fallback region
  const down = running.emulator.faults.inject({ service: 'sts', region: REGION, kind: 'server-error', status: 503 });
  const lambda = await running.startPythonFunction(WORKLOAD_STACK_PREFIX, { environment: { BEDROCK_ASSUME_ROLE_STS_REGIONS: `${REGION},${FALLBACK_REGION}` } });

  // WHEN
  const first = await lambda.invoke(converse);
  // 50 minutes on, the credentials need refreshing, and the primary's failure (remembered 60 s) is forgotten
  running.clock.advance(50 * MINUTE);
  const second = await lambda.invoke(converse);

  // THEN both succeeded, with credentials from the fallback region; the primary was asked once per fetch
  expectAllSucceeded([first, second]);
  expect(hubAssumeRoles(events()).map((e) => e.awsRegion)).toEqual([FALLBACK_REGION, FALLBACK_REGION]);
  expect(down.hits).toBe(2);
});

test('a burst of Python cold starts beyond the STS quota: throttled AssumeRoles are retried within the invocation, none fails', async () => {
  // GIVEN an STS quota of 1 AssumeRole per second (burst 1) and 4 environments starting at once, inside
  // Lambda (the AssumeRole starts during INIT); the emulator's clock, on which the quota refills, moves with real time
  running.emulator.setStsQuota({ ratePerSecond: 1, burst: 1 });
  const ticker = setInterval(() => running.clock.advance(50), 50);
  try {
    const environments: LambdaRunner[] = await Promise.all(Array.from({ length: 4 }, () =>
      running.startPythonFunction(WORKLOAD_STACK_PREFIX, { environment: IN_LAMBDA })));

    // WHEN
    const invocations = await Promise.all(environments.map((lambda) => lambda.invoke(converse)));

    // THEN every invocation succeeded; some AssumeRoles were throttled on the way
    expectAllSucceeded(invocations);
    const throttled = events().filter((e) => e.eventName === 'AssumeRole' && e.errorCode === 'Throttling');
    // eslint-disable-next-line no-console
    console.log(`Python burst of 4 against 1 AssumeRole/s: ${hubAssumeRoles(events()).length} answered, ${throttled.length} throttled`);
    expect(hubAssumeRoles(events())).toHaveLength(4);
    expect(throttled.length).toBeGreaterThan(0);
  } finally {
    clearInterval(ticker);
  }
}, 120_000);
