import { AwsEmulator, LambdaRunner, ManualClock, PythonRuntimeOptions } from '../../../emulator';
import { isPythonRuntime } from '../../../emulator/lambda/python-runtime';
import { lambdaPython, PYTHON_RUNTIME_SETUP_TIMEOUT_MS } from '../../fixtures/hub-app/python-runtime';
import { codeDirectory, expectTimeoutEndsEnvironment, failThenRecover, HUB_ROLE_ARN, invocationResult, invokeAcrossThirteenHours, invokeWarmTwice, startHubAndWorkload, stopChecked, WORKLOAD } from '../fixtures';

/** A small Python handler: boto3 is what the Lambda Python runtime provides. */
const HANDLER = `
import datetime, os, sys, time
import boto3

sts = boto3.client("sts")
invocations = 0

def handler(event, context):
    global invocations
    invocations += 1
    print("invocation", invocations, event)
    print("to stderr", file=sys.stderr)
    if event.get("fail"):
        raise ValueError("failed on purpose")
    if event.get("sleep"):
        time.sleep(event["sleep"])
    if event.get("exit"):
        sys.exit(3)
    if event.get("unserializable"):
        return {"when": datetime.datetime.now()}
    identity = None
    if event.get("identity"):
        try:
            identity = sts.get_caller_identity()["Arn"]
        except Exception as error:
            identity = f"{type(error).__name__}: {error}"
    return {
        "invocations": invocations, "pid": os.getpid(), "now": time.time() * 1000,
        "datetimeNow": datetime.datetime.now(datetime.timezone.utc).timestamp() * 1000,
        "identity": identity, "remaining": context.get_remaining_time_in_millis(), "requestId": context.aws_request_id,
        "functionName": context.function_name,
        "env": {
            "hub": os.environ.get("BEDROCK_ASSUME_ROLE_ARN"), "region": os.environ.get("AWS_REGION"),
            "name": os.environ.get("AWS_LAMBDA_FUNCTION_NAME"), "endpoint": os.environ.get("AWS_ENDPOINT_URL"),
            "leak": os.environ.get("LEAKED_FROM_PARENT"), "key": os.environ.get("AWS_ACCESS_KEY_ID"),
            "executionEnv": os.environ.get("AWS_EXECUTION_ENV"),
        },
        "layer": __import__("layer_module").VALUE if event.get("layer") else None,
    }
`;

let emulator: AwsEmulator;
let clock: ManualClock;
let python: PythonRuntimeOptions;

beforeAll(() => {
  python = { executable: lambdaPython() };
}, PYTHON_RUNTIME_SETUP_TIMEOUT_MS);

beforeEach(async () => {
  ({ emulator, clock } = await startHubAndWorkload({ workload: { runtime: 'python3.13' } }));
});

afterEach(() => stopChecked(emulator));

test.each([
  ['python3.13', true], ['python3.9', true], ['nodejs22.x', false], ['provided.al2023', false], [undefined, false],
])('isPythonRuntime(%s) is %s', (runtime, expected) => {
  expect(isPythonRuntime(runtime)).toBe(expected);
});

describe('a warm Python execution environment', () => {
  test('serves invocations in one process, with the function\'s environment, credentials and clock', async () => {
    // GIVEN a function started while this process has a variable it must not pass on, WHEN invoked twice
    const { fn, first } = await invokeWarmTwice(emulator, { code: codeDirectory('python-runtime-test', { 'index.py': HANDLER }), python });

    // THEN both invocations ran in one process (checked by invokeWarmTwice), with the function's settings
    expect(invocationResult(first)).toMatchObject({
      now: clock.now(),
      datetimeNow: clock.now(),
      identity: `arn:aws:sts::${WORKLOAD}:assumed-role/${fn.roleArn.split('/').pop()}/${fn.functionName}`,
      requestId: first.requestId,
      functionName: fn.functionName,
      env: {
        hub: HUB_ROLE_ARN,
        region: 'us-east-1',
        name: fn.functionName,
        endpoint: emulator.endpoint,
        key: expect.stringMatching(/^ASIA/),
        leak: null,
        executionEnv: 'AWS_Lambda_python3.13',
      },
    });
    expect(invocationResult(first).remaining).toBeGreaterThan(8_000);
    expect(first.logs[0]).toBe(`START RequestId: ${first.requestId} Version: $LATEST`);
    expect(first.logs).toEqual(expect.arrayContaining(["invocation 1 {'identity': True}", 'to stderr', `END RequestId: ${first.requestId}`]));
    expect(first.logs.at(-1)).toMatch(new RegExp(`^REPORT RequestId: ${first.requestId}\tDuration: `));
  });

  test('three hours pass in the child the moment the test moves the clock; after 13 its credentials have expired', async () => {
    // GIVEN
    const lambda = await emulator.startLambda('Handler', { code: codeDirectory('python-runtime-test', { 'index.py': HANDLER }), python });

    // WHEN invoked now, 3 hours later and 13 hours later
    const { before, later, expired } = await invokeAcrossThirteenHours(lambda, clock);

    // THEN time.time() and datetime.now() both moved, and botocore signed at the emulator's time
    expect(later.now - before.now).toBe(3 * 3600_000);
    expect(later.datetimeNow - before.datetimeNow).toBe(3 * 3600_000);
    expect(later.identity).toMatch(/^arn:aws:sts::/);
    expect(expired.identity).toMatch(/^ClientError: .*ExpiredToken.*The security token included in the request is expired/);
  });

  test('the layers\' directories are on sys.path after the code directory', async () => {
    const layer = codeDirectory('python-runtime-test', { 'layer_module.py': 'VALUE = "from the layer"' });
    const lambda = await emulator.startLambda('Handler', { code: codeDirectory('python-runtime-test', { 'index.py': HANDLER }), python: { ...python, path: [layer] } });
    expect(invocationResult(await lambda.invoke({ layer: true })).layer).toBe('from the layer');
  });
});

describe('failures, as the Lambda Python runtime reports them', () => {
  test.each<[string, Record<string, unknown>, string, RegExp, boolean]>([
    ['a raised exception', { fail: true }, 'ValueError', /^failed on purpose$/, false],
    ['a result that is not JSON', { unserializable: true }, 'Runtime.MarshalError', /not JSON serializable/, false],
    ['sys.exit()', { exit: true }, 'Runtime.ExitError', /3/, true],
  ])('%s', async (_, event, errorType, message, newEnvironment) => {
    const lambda = await emulator.startLambda('Handler', { code: codeDirectory('python-runtime-test', { 'index.py': HANDLER }), python });
    expect(await failThenRecover(lambda, event, errorType, message)).toBe(newEnvironment);
  });

  test('a timeout ends the environment; the next invocation starts a new one', async () => {
    const lambda = await emulator.startLambda('Handler', { code: codeDirectory('python-runtime-test', { 'index.py': HANDLER }), python, timeoutSeconds: 1 });
    await expectTimeoutEndsEnvironment(lambda, { sleep: 5 });
  });

  test.each([
    ['a module that raises while loading', { 'index.py': 'raise TypeError("bad init")' }, 'TypeError', /^bad init$/],
    ['a missing module', { 'other.py': '' }, 'Runtime.ImportModuleError', /^Unable to import module 'index': No module named 'index'/],
    ['a missing handler function', { 'index.py': 'def other(event, context): pass' }, 'Runtime.HandlerNotFound', /^Handler 'handler' missing on module 'index'/],
  ])('%s reports the error on invocation', async (_, files, errorType, message) => {
    const lambda = await emulator.startLambda('Handler', { code: codeDirectory('python-runtime-test', files), python });
    expect(await lambda.invoke({})).toMatchObject({ ok: false, error: { errorType, errorMessage: expect.stringMatching(message) } });
  });
});

test('LambdaRunner runs a Python handler given only its runtime', async () => {
  const runner = await LambdaRunner.start({
    code: codeDirectory('python-runtime-test', { 'app.py': 'def main(event, context):\n    return {"doubled": event["n"] * 2}\n' }),
    handler: 'app.main',
    runtime: 'python3.13',
    python,
    environment: {},
  });
  try {
    expect(invocationResult(await runner.invoke({ n: 21 }))).toEqual({ doubled: 42 });
  } finally {
    await runner.stop();
  }
});
