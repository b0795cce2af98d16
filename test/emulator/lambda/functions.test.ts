import { AwsEmulator, CfnTemplate } from '../../../emulator';
import { LambdaFunction, LambdaFunctions } from '../../../emulator/lambda/functions';
import { allow, HUB_ROLE_ARN, startHubAndWorkload, stopChecked, WORKLOAD, workloadTemplate } from '../fixtures';

let emulator: AwsEmulator;

beforeEach(async () => {
  ({ emulator } = await startHubAndWorkload());
});

afterEach(() => stopChecked(emulator));

describe('finding functions', () => {
  test.each<[string, (fn: LambdaFunction) => string]>([
    ['its name', (fn) => fn.functionName],
    ['its ARN', (fn) => fn.arn],
    ['its logical ID', (fn) => fn.logicalId],
    ['<stack>/<logical ID>', (fn) => `${fn.stackName}/${fn.logicalId}`],
    ['a logical-ID prefix', () => 'Handler'],
  ])('by %s', (_, reference) => {
    const fn = emulator.lambdaFunction('Handler886CB40B');
    expect(emulator.lambdaFunction(reference(fn))).toBe(fn);
  });

  test('an unknown or ambiguous reference fails and lists what is loaded', () => {
    emulator.loadTemplate({ template: workloadTemplate(), accountId: WORKLOAD, stackName: 'Second' });
    expect(() => emulator.lambdaFunction('Nope')).toThrow(/no Lambda function matches 'Nope'; loaded functions: Workload\/Handler886CB40B \(Workload-Handler886CB40B-/);
    expect(() => emulator.lambdaFunction('Handler')).toThrow(/'Handler' matches 2 functions/);
  });

  test('registering a function again replaces it', () => {
    const functions = new LambdaFunctions();
    const fn = emulator.lambdaFunction('Handler');
    functions.register(fn);
    functions.register({ ...fn, timeoutSeconds: 30 });
    expect(functions.all()).toHaveLength(1);
    expect(functions.get(fn.functionName).timeoutSeconds).toBe(30);
  });
});

test('the environment has the template\'s variables, Lambda\'s reserved ones, the credentials and the endpoint', async () => {
  const credentials = await emulator.lambdaCredentials('Handler');
  const environment = await emulator.lambdaEnvironment('Handler', credentials);
  const fn = emulator.lambdaFunction('Handler');
  expect(environment).toMatchObject({
    BEDROCK_ASSUME_ROLE_ARN: HUB_ROLE_ARN,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    AWS_ENDPOINT_URL: emulator.endpoint,
  });
});

test('execution credentials last twelve hours by default and name the function', async () => {
  const credentials = await emulator.lambdaCredentials('Handler');
  expect(credentials.expiration.getTime() - emulator.clock.now()).toBe(12 * 3600_000);
  expect(credentials.principalArn).toBe(`arn:aws:sts::${WORKLOAD}:assumed-role/${credentials.roleArn.split('/').pop()}/${credentials.functionName}`);
  expect(emulator.credentials.lookup(credentials.accessKeyId)?.principal).toMatchObject({ issuedBy: 'lambda.amazonaws.com', sessionName: credentials.functionName });
});

test('a role that does not trust lambda.amazonaws.com cannot be an execution role', async () => {
  const template = workloadTemplate();
  const resources = template.Resources!;
  const role = resources.HandlerServiceRoleFCDC14AE;
  const notTrusted: CfnTemplate = {
    Resources: {
      ...resources,
      HandlerServiceRoleFCDC14AE: { ...role, Properties: { ...role.Properties, AssumeRolePolicyDocument: allow('sts:AssumeRole', '*') } },
    },
  };
  emulator.loadTemplate({ template: notTrusted, accountId: WORKLOAD, stackName: 'Untrusted' });
  await expect(emulator.lambdaCredentials('Untrusted/Handler886CB40B')).rejects.toThrow(/does not let lambda.amazonaws.com assume it/);
});
