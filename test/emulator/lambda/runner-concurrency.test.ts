import { AwsEmulator, InvocationResult } from '../../../emulator';
import { codeDirectory as sharedCodeDirectory, invocationResult, startHubAndWorkload, stopChecked } from '../fixtures';

/** Counts how many invocations run at once in this process; each waits until told how long. */
const HANDLER = `
let active = 0;
let peak = 0;
exports.handler = async (event, context) => {
  active++;
  peak = Math.max(peak, active);
  console.log('started', context.awsRequestId);
  try {
    if (event.exitAfterMs) setTimeout(() => process.exit(3), event.exitAfterMs);
    await new Promise((resolve) => setTimeout(resolve, event.holdMs ?? 0));
    return { pid: process.pid, peak, requestId: context.awsRequestId, maxConcurrency: process.env.AWS_LAMBDA_MAX_CONCURRENCY };
  } finally {
    active--;
  }
};
`;

/** What the handler returns. */
interface HandlerResult { pid: number; peak: number; requestId: string; maxConcurrency?: string }

const codeDirectory = (): string => sharedCodeDirectory('lambda-runner-concurrency-test', { 'index.js': HANDLER });
const resultOf = (invocation: InvocationResult): HandlerResult => invocationResult<HandlerResult>(invocation);

let emulator: AwsEmulator;

beforeEach(async () => {
  ({ emulator } = await startHubAndWorkload());
});

afterEach(() => stopChecked(emulator));

test('without AWS_LAMBDA_MAX_CONCURRENCY, one invocation at a time', async () => {
  const lambda = await emulator.startLambda('Handler', { code: codeDirectory() });
  const results = (await Promise.all(Array.from({ length: 3 }, () => lambda.invoke({ holdMs: 50 })))).map(resultOf);
  expect(results.map((r) => r.peak)).toEqual([1, 1, 1]);
  expect(new Set(results.map((r) => r.pid)).size).toBe(1);
});

test('with AWS_LAMBDA_MAX_CONCURRENCY, up to that many invocations at once in one process, the rest queued', async () => {
  // GIVEN
  const lambda = await emulator.startLambda('Handler', { code: codeDirectory(), environment: { AWS_LAMBDA_MAX_CONCURRENCY: '4' } });

  // WHEN
  const invocations = await Promise.all(Array.from({ length: 10 }, () => lambda.invoke({ holdMs: 1_000 })));

  // THEN
  const results = invocations.map(resultOf);
  expect(new Set(results.map((r) => r.pid)).size).toBe(1);
  expect(Math.max(...results.map((r) => r.peak))).toBe(4);
  expect(results.every((r) => r.maxConcurrency === '4')).toBe(true);
  // Each answer went to its own caller, with its own request id and START/END lines.
  for (const invocation of invocations) {
    expect(resultOf(invocation).requestId).toBe(invocation.requestId);
    expect(invocation.logs[0]).toBe(`START RequestId: ${invocation.requestId} Version: $LATEST`);
    expect(invocation.logs).toContain(`started ${invocation.requestId}`);
    expect(invocation.logs).toContain(`END RequestId: ${invocation.requestId}`);
  }
  expect(invocations.filter((i) => i.coldStart)).toHaveLength(1);
  expect(lambda.coldStarts).toBe(1);
});

test('a crash ends every invocation in flight in that environment; the next one starts a new environment', async () => {
  // GIVEN
  const lambda = await emulator.startLambda('Handler', { code: codeDirectory(), environment: { AWS_LAMBDA_MAX_CONCURRENCY: '3' } });
  const first = resultOf(await lambda.invoke({}));

  // WHEN
  const crashed = await Promise.all([
    lambda.invoke({ holdMs: 5_000, exitAfterMs: 100 }),
    lambda.invoke({ holdMs: 5_000 }),
    lambda.invoke({ holdMs: 5_000 }),
  ]);
  const after = await Promise.all([lambda.invoke({}), lambda.invoke({})]);

  // THEN
  expect(crashed.map((i) => (i.ok ? 'ok' : i.error.errorType))).toEqual(['Runtime.ExitError', 'Runtime.ExitError', 'Runtime.ExitError']);
  const pids = after.map((i) => resultOf(i).pid);
  expect(pids[0]).toBe(pids[1]);
  expect(pids[0]).not.toBe(first.pid);
  expect(after.filter((i) => i.coldStart)).toHaveLength(1);
  expect(lambda.coldStarts).toBe(2);
});
