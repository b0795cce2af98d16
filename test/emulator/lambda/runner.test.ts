import { AwsEmulator, LambdaRunner, ManualClock } from '../../../emulator';
import { codeDirectory, expectTimeoutEndsEnvironment, failThenRecover, HUB_ROLE_ARN, invocationResult, invokeAcrossThirteenHours, invokeWarmTwice, startHubAndWorkload, stopChecked, WORKLOAD, workloadTemplate } from '../fixtures';

/** A tiny bundled handler: the AWS SDK is external, as NodejsFunction bundles it. */
const HANDLER = `
const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');
const sts = new STSClient({});
let invocations = 0;
exports.handler = async (event, context) => {
  invocations++;
  console.log('invocation', invocations, JSON.stringify(event));
  console.error('to stderr');
  if (event.fail) throw Object.assign(new Error('failed on purpose'), { name: 'PurposeError' });
  if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
  if (event.exit) process.exit(3);
  if (event.reject) { Promise.reject(new Error('nobody catches this')); await new Promise((resolve) => setTimeout(resolve, 200)); }
  const identity = event.identity ? await sts.send(new GetCallerIdentityCommand({})).then((r) => r.Arn, (e) => e.name + ': ' + e.message) : undefined;
  return {
    invocations, pid: process.pid, now: Date.now(), identity, remaining: context.getRemainingTimeInMillis(), requestId: context.awsRequestId,
    env: {
      hub: process.env.BEDROCK_ASSUME_ROLE_ARN, region: process.env.AWS_REGION, name: process.env.AWS_LAMBDA_FUNCTION_NAME,
      endpoint: process.env.AWS_ENDPOINT_URL, leak: process.env.LEAKED_FROM_PARENT, key: process.env.AWS_ACCESS_KEY_ID,
    },
  };
};
`;

let emulator: AwsEmulator;
let clock: ManualClock;

beforeEach(async () => {
  ({ emulator, clock } = await startHubAndWorkload());
});

afterEach(() => stopChecked(emulator));

describe('a warm execution environment', () => {
  test('serves invocations in one process, with the function\'s environment, credentials and clock', async () => {
    // GIVEN a function started while this process has a variable it must not pass on, WHEN invoked twice
    const { fn, lambda, first } = await invokeWarmTwice(emulator, { code: codeDirectory('lambda-runner-test', { 'index.js': HANDLER }) });

    // THEN both invocations ran in one process (checked by invokeWarmTwice), with the function's settings
    expect(invocationResult(first)).toMatchObject({
      now: clock.now(),
      identity: `arn:aws:sts::${WORKLOAD}:assumed-role/${fn.roleArn.split('/').pop()}/${fn.functionName}`,
      requestId: first.requestId,
      env: { hub: HUB_ROLE_ARN, region: 'us-east-1', name: fn.functionName, endpoint: emulator.endpoint, key: expect.stringMatching(/^ASIA/) },
    });
    expect(invocationResult(first).env).not.toHaveProperty('leak');
    expect(invocationResult(first).remaining).toBeGreaterThan(8_000);
    expect(first.logs[0]).toBe(`START RequestId: ${first.requestId} Version: $LATEST`);
    expect(first.logs).toEqual(expect.arrayContaining(['invocation 1 {"identity":true}', 'to stderr', `END RequestId: ${first.requestId}`]));
    expect(first.logs.at(-1)).toMatch(new RegExp(`^REPORT RequestId: ${first.requestId}\tDuration: `));
    expect(lambda.coldStarts).toBe(1);
  });

  test('three hours pass in the child the moment the test moves the clock; after 13 its credentials have expired', async () => {
    // GIVEN
    const lambda = await emulator.startLambda('Handler', { code: codeDirectory('lambda-runner-test', { 'index.js': HANDLER }) });

    // WHEN invoked now, 3 hours later and 13 hours later
    const { before, later, expired } = await invokeAcrossThirteenHours(lambda, clock);

    // THEN
    expect(later.now - before.now).toBe(3 * 3600_000);
    expect(later.identity).toMatch(/^arn:aws:sts::/);
    expect(expired.identity).toBe('ExpiredToken: The security token included in the request is expired');
  });
});

describe('failures, as Lambda reports them', () => {
  test.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a thrown error', { fail: true }, 'PurposeError', /^failed on purpose$/],
    ['a process exit', { exit: true }, 'Runtime.ExitError', /Runtime exited with error: exit status 3/],
    ['an unhandled rejection', { reject: true }, 'Runtime.UnhandledPromiseRejection', /nobody catches this/],
  ])('%s', async (_, event, errorType, message) => {
    const lambda = await emulator.startLambda('Handler', { code: codeDirectory('lambda-runner-test', { 'index.js': HANDLER }) });
    expect(await failThenRecover(lambda, event, errorType, message)).toBe(errorType !== 'PurposeError');
  });

  test('a timeout ends the environment; the next invocation starts a new one', async () => {
    const lambda = await emulator.startLambda('Handler', { code: codeDirectory('lambda-runner-test', { 'index.js': HANDLER }), timeoutSeconds: 1 });
    await expectTimeoutEndsEnvironment(lambda, { sleepMs: 5_000 });
  });

  test('a module that fails to load reports the error on invocation', async () => {
    const lambda = await emulator.startLambda('Handler', { code: codeDirectory('lambda-runner-test', { 'index.js': 'throw new TypeError("bad init");' }) });
    expect(await lambda.invoke({})).toMatchObject({ ok: false, error: { errorType: 'TypeError', errorMessage: 'bad init' } });
  });
});

test('callback-style handlers and ES modules work', async () => {
  const callback = await LambdaRunner.start({
    code: codeDirectory('lambda-runner-test', { 'app.js': 'exports.main = (event, context, callback) => setTimeout(() => callback(null, { doubled: event.n * 2 }), 10);' }),
    handler: 'app.main',
    environment: {},
  });
  const esm = await LambdaRunner.start({ code: codeDirectory('lambda-runner-test', { 'index.mjs': 'export const handler = async () => ({ format: "esm" });' }), environment: {} });
  try {
    expect(invocationResult(await callback.invoke({ n: 21 }))).toEqual({ doubled: 42 });
    expect(invocationResult(await esm.invoke({}))).toEqual({ format: 'esm' });
  } finally {
    await Promise.all([callback.stop(), esm.stop()]);
  }
});

test('a function with inline code (Code.ZipFile) runs without a code directory', async () => {
  emulator.loadTemplate({
    template: workloadTemplate({ inlineCode: 'exports.handler = async () => ({ inline: true, region: process.env.AWS_REGION });' }),
    accountId: WORKLOAD,
    stackName: 'Inline',
  });
  const lambda = await emulator.startLambda('Inline/Handler886CB40B');
  expect(invocationResult(await lambda.invoke({}))).toEqual({ inline: true, region: 'us-east-1' });
});
