/**
 * Shared helpers of the emulator tests: an emulator with the example app's hand-written hub and
 * workload templates loaded (test/fixtures/hub-app/templates.ts), SDK client settings against it,
 * and small test utilities.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { FinalizeHandler, FinalizeHandlerArguments, MiddlewareStack } from '@smithy/types';
import { AwsEmulator, CfnTemplate, InvocationResult, IssuedCredentials, LambdaFunction, LambdaRunner, ManualClock, StartLambdaOptions } from '../../emulator';
import { HUB_ACCOUNT, REGION, WORKLOAD_ACCOUNT } from '../fixtures/hub-app/accounts';
import { hubTemplate, HubTemplateOptions, workloadTemplate, WorkloadTemplateOptions } from '../fixtures/hub-app/templates';

export { EXTERNAL_ID, HUB_ACCOUNT as HUB, HUB_ROLE_ARN, REGION, WORKLOAD_ACCOUNT as WORKLOAD } from '../fixtures/hub-app/accounts';
export { allow, hubTemplate, policy, workloadTemplate } from '../fixtures/hub-app/templates';
export type { HubTemplateOptions, WorkloadTemplateOptions } from '../fixtures/hub-app/templates';

/** An account that is neither the hub nor the workload. */
export const OTHER = '333333333333';

/** A template with parameters, a mapping, conditions and three resources, for the resolver's tests. */
export const TEMPLATE_WITH_PARAMETERS: CfnTemplate = {
  Parameters: {
    Stage: { Type: 'String', Default: 'prod' },
    HubRoleArn: { Type: 'String', Default: '' },
    Zones: { Type: 'CommaDelimitedList', Default: 'a,b' },
  },
  Mappings: { Models: { 'us-east-1': { Default: 'amazon.nova-lite-v1:0' } } },
  Conditions: {
    IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
    HasHub: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'HubRoleArn' }, ''] }] },
    ProdWithHub: { 'Fn::And': [{ Condition: 'IsProd' }, { Condition: 'HasHub' }] },
  },
  Resources: {
    Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] }, Path: '/service/' } },
    Table: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] } },
    Bucket: { Type: 'AWS::S3::Bucket' },
  },
};

/** An emulator on a fresh standing clock. */
export async function startEmulator(): Promise<{ emulator: AwsEmulator; clock: ManualClock }> {
  const clock = new ManualClock();
  const emulator = await AwsEmulator.start({ clock });
  return { emulator, clock };
}

/** An emulator with the default hub and workload stacks loaded. */
export async function startHubAndWorkload(
  options: { hub?: HubTemplateOptions; workload?: WorkloadTemplateOptions } = {},
): Promise<{ emulator: AwsEmulator; clock: ManualClock }> {
  const started = await startEmulator();
  started.emulator.loadTemplate({ template: hubTemplate(options.hub), accountId: HUB_ACCOUNT, stackName: 'Hub' });
  started.emulator.loadTemplate({ template: workloadTemplate(options.workload), accountId: WORKLOAD_ACCOUNT, stackName: 'Workload' });
  return started;
}

/** Client settings without retries, so a test sees the first answer. */
export function clientConfig(
  emulator: AwsEmulator, credentials: IssuedCredentials, region = REGION,
): ReturnType<AwsEmulator['clientConfig']> & { maxAttempts: number } {
  return { ...emulator.clientConfig(credentials, region), maxAttempts: 1 };
}

/** A client whose signed request is altered after signing. */
export function tamperAfterSigning(
  client: { middlewareStack: MiddlewareStack<any, any> },
  tamper: (request: { headers: Record<string, string>; body?: unknown; path: string }) => void,
): void {
  client.middlewareStack.addRelativeTo((next: FinalizeHandler<any, any>) => async (args: FinalizeHandlerArguments<any>) => {
    tamper(args.request as { headers: Record<string, string>; body?: unknown; path: string });
    return next(args);
  }, { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'tamperAfterSigning' });
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function errorOf(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Stops the emulator, after checking it met no internal problem (an invalid policy, an emulator fault). */
export async function stopChecked(emulator: AwsEmulator | undefined): Promise<void> {
  if (!emulator) {
    return;
  }
  const problems = [...emulator.problems];
  await emulator.stop();
  expect(problems).toEqual([]);
}

const temporaryDirectories: string[] = [];

/** A fresh temporary directory, removed after the test file. */
export function temporaryDirectory(prefix: string): string {
  const directory = mkdtempSync(join(tmpdir(), `${prefix}-`));
  temporaryDirectories.push(directory);
  return directory;
}

/** A temporary directory (removed after the test file) holding `files`: name to text, e.g. a handler's code. */
export function codeDirectory(prefix: string, files: Record<string, string>): string {
  const directory = temporaryDirectory(prefix);
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(directory, name), text);
  }
  return directory;
}

/** A handler's return value; fails the test with the Lambda error and logs if the invocation failed. */
export function invocationResult<T = any>(invocation: InvocationResult): T {
  if (!invocation.ok) {
    throw new Error(`invocation failed: ${invocation.error.errorType}: ${invocation.error.errorMessage}\n${invocation.logs.join('\n')}`);
  }
  return invocation.result as T;
}

/** Two invocations of one warm environment, and the function they ran. */
export interface WarmInvocations {
  readonly fn: LambdaFunction;
  readonly lambda: LambdaRunner;
  readonly first: InvocationResult;
  readonly second: InvocationResult;
}

/**
 * Starts the function `Handler` while this process has `LEAKED_FROM_PARENT` set (the environment must
 * not inherit it), invokes it twice with `{ identity: true }`, and checks that both invocations ran in
 * one process: the first a cold start, the second not, the handler's module state kept between them.
 */
export async function invokeWarmTwice(emulator: AwsEmulator, options: StartLambdaOptions): Promise<WarmInvocations> {
  process.env.LEAKED_FROM_PARENT = 'should not be seen';
  let lambda: LambdaRunner;
  try {
    lambda = await emulator.startLambda('Handler', options);
  } finally {
    delete process.env.LEAKED_FROM_PARENT;
  }
  const first = await lambda.invoke({ identity: true });
  const second = await lambda.invoke({ identity: true });
  expect([first.coldStart, second.coldStart]).toEqual([true, false]);
  expect(invocationResult(second).pid).toBe(invocationResult(first).pid);
  expect(invocationResult(second).invocations).toBe(2);
  return { fn: emulator.lambdaFunction('Handler'), lambda, first, second };
}

/**
 * Invokes a warm function, then (with `{ identity: true }`) 3 hours later and 13 hours later, past
 * the 12 hours of its execution role's credentials. Returns the three handler results.
 */
export async function invokeAcrossThirteenHours(lambda: LambdaRunner, clock: ManualClock): Promise<{ before: any; later: any; expired: any }> {
  const before = invocationResult(await lambda.invoke({}));
  clock.advance(3 * 3600_000);
  const later = invocationResult(await lambda.invoke({ identity: true }));
  clock.advance(10 * 3600_000);
  const expired = invocationResult(await lambda.invoke({ identity: true }));
  return { before, later, expired };
}

/**
 * Checks that an invocation running past the function's timeout (`sleepEvent` makes the handler wait
 * longer than its 1-second timeout) fails as Lambda reports it and ends the environment: the next
 * invocation is a cold start in a new process.
 */
export async function expectTimeoutEndsEnvironment(lambda: LambdaRunner, sleepEvent: Record<string, unknown>): Promise<void> {
  const first = invocationResult(await lambda.invoke({}));
  const timedOut = await lambda.invoke(sleepEvent);
  const after = await lambda.invoke({});
  expect(timedOut).toMatchObject({ ok: false, error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' } });
  expect(after.coldStart).toBe(true);
  expect(invocationResult(after).pid).not.toBe(first.pid);
  expect(lambda.coldStarts).toBe(2);
}

/**
 * Invokes with `event`, expects the failure Lambda reports (`errorType`, a message matching `message`),
 * then invokes again: the next invocation succeeds. Returns whether it was a cold start.
 */
export async function failThenRecover(
  lambda: LambdaRunner, event: Record<string, unknown>, errorType: string, message: RegExp,
): Promise<boolean | undefined> {
  const outcome = await lambda.invoke(event);
  expect(outcome).toMatchObject({ ok: false, error: { errorType, errorMessage: expect.stringMatching(message) } });
  const next = await lambda.invoke({});
  expect(next.ok).toBe(true);
  return next.coldStart;
}

afterAll(() => {
  for (const directory of temporaryDirectories.splice(0)) {
    rmSync(directory, { recursive: true, force: true });
  }
});
