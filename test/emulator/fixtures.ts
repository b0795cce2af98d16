/**
 * Shared fixtures of the emulator tests: account IDs, small inline templates for a workload function
 * and a hub role, and helpers to build SDK clients against an emulator.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { FinalizeHandler, FinalizeHandlerArguments, MiddlewareStack } from '@smithy/types';
import { AwsEmulator, CfnTemplate, IssuedCredentials, ManualClock, PolicyDocument } from '../../emulator';

export const WORKLOAD = '111111111111';
export const HUB = '222222222222';
export const OTHER = '333333333333';
export const REGION = 'us-east-1';
export const EXTERNAL_ID = 'hub-external-id-4711';
export const HUB_ROLE_ARN = `arn:aws:iam::${HUB}:role/BedrockHubRole`;

/** A policy document with one statement per `[effect, actions, resources]`. */
export function policy(...statements: Array<[effect: 'Allow' | 'Deny', actions: string | string[], resources: string | string[]]>): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements.map(([Effect, Action, Resource]) => ({ Effect, Action, Resource })) };
}

/** An allow-only policy document. */
export function allow(actions: string | string[], resources: string | string[]): PolicyDocument {
  return policy(['Allow', actions, resources]);
}

const LAMBDA_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

/** Options for {@link workloadTemplate}. */
export interface WorkloadTemplateOptions {
  /** The execution role's extra statements. @default sts:AssumeRole on the hub role */
  readonly rolePolicy?: PolicyDocument;
  readonly environment?: Record<string, unknown>;
  readonly inlineCode?: string;
}

/** A workload stack: one function with a generated-name role, as CDK synthesizes it. */
export function workloadTemplate(options: WorkloadTemplateOptions = {}): CfnTemplate {
  return {
    Resources: {
      HandlerServiceRoleFCDC14AE: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: LAMBDA_TRUST,
          ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']] }],
        },
      },
      HandlerServiceRoleDefaultPolicyCBD0CC91: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          PolicyName: 'HandlerServiceRoleDefaultPolicyCBD0CC91',
          PolicyDocument: options.rolePolicy ?? allow('sts:AssumeRole', HUB_ROLE_ARN),
          Roles: [{ Ref: 'HandlerServiceRoleFCDC14AE' }],
        },
      },
      Handler886CB40B: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Handler: 'index.handler',
          Runtime: 'nodejs20.x',
          Timeout: 10,
          Role: { 'Fn::GetAtt': ['HandlerServiceRoleFCDC14AE', 'Arn'] },
          Code: options.inlineCode !== undefined ? { ZipFile: options.inlineCode } : { S3Bucket: 'assets', S3Key: 'abc.zip' },
          Environment: {
            Variables: options.environment ?? {
              BEDROCK_ASSUME_ROLE_ARN: HUB_ROLE_ARN,
              BEDROCK_ASSUME_ROLE_EXTERNAL_ID: EXTERNAL_ID,
            },
          },
        },
        DependsOn: ['HandlerServiceRoleDefaultPolicyCBD0CC91'],
      },
    },
  };
}

/** Options for {@link hubTemplate}. */
export interface HubTemplateOptions {
  /** The trust policy's statement(s). @default trust the workload account with the external ID */
  readonly trustStatements?: unknown[];
  /** The permission policy. @default Bedrock invocation on models and the hub's profiles */
  readonly permissions?: PolicyDocument;
  readonly maxSessionDurationSeconds?: number;
}

/** A hub stack: the hub role with its trust and permission policies. */
export function hubTemplate(options: HubTemplateOptions = {}): CfnTemplate {
  return {
    Resources: {
      HubRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: 'BedrockHubRole',
          MaxSessionDuration: options.maxSessionDurationSeconds,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: options.trustStatements ?? [{
              Effect: 'Allow',
              Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${WORKLOAD}:root`]] } },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } },
            }],
          },
          Policies: [{
            PolicyName: 'bedrock',
            PolicyDocument: options.permissions ?? allow(
              ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:GetInferenceProfile', 'bedrock:ApplyGuardrail'],
              [
                'arn:aws:bedrock:*::foundation-model/*',
                `arn:aws:bedrock:*:${HUB}:inference-profile/*`,
                `arn:aws:bedrock:*:${HUB}:application-inference-profile/*`,
                `arn:aws:bedrock:*:${HUB}:guardrail/*`,
              ],
            ),
          }],
        },
      },
    },
  };
}

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
  started.emulator.loadTemplate({ template: hubTemplate(options.hub), accountId: HUB, stackName: 'Hub' });
  started.emulator.loadTemplate({ template: workloadTemplate(options.workload), accountId: WORKLOAD, stackName: 'Workload' });
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

afterAll(() => {
  for (const directory of temporaryDirectories.splice(0)) {
    rmSync(directory, { recursive: true, force: true });
  }
});
