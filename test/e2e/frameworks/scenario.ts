/**
 * The framework tests' world: a hub account with a `BedrockHubRole`, a workload account with one
 * `NodejsFunction` per framework handler (bundled by NodejsFunction's esbuild, `@aws-sdk/*` left
 * to the runtime) and `BedrockHubAccess`, and a Bedrock API key issued to the workload account, so
 * that a call that bypasses the hub shows up as a call in the wrong account.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { MODEL_ID, OPENAI_MODEL_ID } from './harness';
import type { FrameworkEvent, FrameworkResult } from './harness';
import type { NodeRuntime } from './runtimes';
import { AwsEmulator, ManualClock } from '../../../emulator';
import type { BedrockApiKey, CloudTrailEvent, LambdaRunner } from '../../../emulator';
import { BedrockHubAccess, BedrockHubRole, BedrockModel } from '../../../src';

export const HUB_ACCOUNT = '111122223333';
export const WORKLOAD_ACCOUNT = '444455556666';
export const REGION = 'us-east-1';
export const HUB_ROLE_NAME = 'BedrockHubRole';
const EXTERNAL_ID = 'frameworks-e2e-external-id';
const REPO = join(__dirname, '..', '..', '..');

/** The Bedrock event sources: bedrock-runtime (and its OpenAI-compatible API), bedrock-mantle. */
const BEDROCK_SOURCES = new Set(['bedrock.amazonaws.com', 'bedrock-mantle.amazonaws.com']);

/** A synthesized app with the function of one framework handler, loaded into a running emulator. */
export interface FrameworkScenario {
  readonly emulator: AwsEmulator;
  readonly functionName: string;
  /** A key issued to the workload account, for `AWS_BEARER_TOKEN_BEDROCK`. */
  readonly apiKey: BedrockApiKey;
  /** Starts a warm environment of the function on `runtime`, with `environment` added. */
  start(runtime: NodeRuntime, environment?: Record<string, string>): Promise<LambdaRunner>;
  /** Invokes and returns the result with the CloudTrail events recorded meanwhile. */
  invoke(lambda: LambdaRunner, event: FrameworkEvent): Promise<{ result: FrameworkResult; events: CloudTrailEvent[]; logs: readonly string[] }>;
  stop(): Promise<string[]>;
}

/** How NodejsFunction bundles a handler. */
export type HandlerFormat = 'cjs' | 'esm';

/**
 * NodejsFunction's bundling: CommonJS with the AWS SDK left to the runtime (its default), or, for
 * frameworks whose ESM code needs `import.meta.url`, ESM as the aws-lambda-nodejs README shows it
 * (a `require` for bundled CommonJS code; the SDK bundled too, since ESM imports do not search the
 * runtime's NODE_PATH).
 */
function bundlingFor(format: HandlerFormat): BundlingOptions {
  const common = { forceDockerBundling: false, sourceMap: false };
  return format === 'cjs'
    ? { ...common, externalModules: ['@aws-sdk/*'] }
    : {
      ...common,
      format: OutputFormat.ESM,
      mainFields: ['module', 'main'],
      externalModules: [],
      banner: "import { createRequire as __createRequire } from 'module'; const require = __createRequire(import.meta.url);",
    };
}

/** Synthesizes the hub and a workload with the handler `handlers/<name>.ts`, and starts an emulator with both. */
export async function startFrameworkScenario(name: string, format: HandlerFormat = 'cjs'): Promise<FrameworkScenario> {
  const outdir = mkdtempSync(join(tmpdir(), `bedrock-hub-${name}-`));
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true } });
  const hubStack = new Stack(app, 'Hub', { env: { account: HUB_ACCOUNT, region: REGION } });
  new BedrockHubRole(hubStack, 'HubRole', {
    roleName: HUB_ROLE_NAME,
    trustedAccounts: [WORKLOAD_ACCOUNT],
    externalId: EXTERNAL_ID,
    models: [BedrockModel.foundationModel(MODEL_ID), BedrockModel.foundationModel(OPENAI_MODEL_ID)],
    openAiCompatibleInference: true,
  });
  const workload = new Stack(app, 'Workload', { env: { account: WORKLOAD_ACCOUNT, region: REGION } });
  const fn = new NodejsFunction(workload, 'Handler', {
    entry: join(__dirname, 'handlers', `${name}.ts`),
    runtime: Runtime.NODEJS_22_X,
    timeout: Duration.seconds(30),
    memorySize: 512,
    projectRoot: REPO,
    depsLockFilePath: join(REPO, 'package-lock.json'),
    bundling: bundlingFor(format),
  });
  new BedrockHubAccess(workload, 'BedrockHub', { hubRoleArn: `arn:aws:iam::${HUB_ACCOUNT}:role/${HUB_ROLE_NAME}`, externalId: EXTERNAL_ID, functions: [fn] });
  app.synth();

  const emulator = await AwsEmulator.start({ clock: new ManualClock(), defaultRegion: REGION });
  const stacks = emulator.loadCloudAssembly(outdir);
  const handler = stacks.find((s) => s.stackName === 'Workload')!.functions.find((f) => f.logicalId.startsWith('Handler'))!;
  const reference = `Workload/${handler.logicalId}`;
  const apiKey = emulator.createBedrockApiKey({ accountId: WORKLOAD_ACCOUNT });
  return {
    emulator,
    functionName: emulator.lambdaFunction(reference).functionName,
    apiKey,
    start: (runtime, environment) => emulator.startLambda(reference, { environment, nodeExecutable: runtime.executable }),
    invoke: async (lambda, event) => {
      const before = emulator.cloudTrail.events.length;
      const invocation = await lambda.invoke(event);
      if (!invocation.ok) {
        throw new Error(`invocation failed: ${invocation.error.errorType}: ${invocation.error.errorMessage}\n${invocation.logs.join('\n')}`);
      }
      return { result: invocation.result as FrameworkResult, events: emulator.cloudTrail.events.slice(before), logs: invocation.logs };
    },
    stop: async () => {
      const problems = emulator.problems.map((p) => `${p.service} ${p.operation}: ${p.message}`);
      await emulator.stop();
      rmSync(outdir, { recursive: true, force: true });
      return problems;
    },
  };
}

/** Bedrock calls (runtime, OpenAI-compatible, mantle) among `events`. */
export function bedrockCalls(events: readonly CloudTrailEvent[]): CloudTrailEvent[] {
  return events.filter((e) => BEDROCK_SOURCES.has(e.eventSource));
}

/** What happened to the model calls of one invocation. */
export type CallOutcome = 'hub call' | 'bypass' | 'refused' | 'no call';

/**
 * `hub call`: every Bedrock call was made in the hub account as the hub role's session;
 * `bypass`: one was made in another account (the API key's) or with a bearer token;
 * `refused`: none was made, and the shim refused with a `BedrockHubError`.
 */
export function outcomeOf(result: FrameworkResult, events: readonly CloudTrailEvent[], functionName: string): CallOutcome {
  const calls = bedrockCalls(events);
  const hubSession = `arn:aws:sts::${HUB_ACCOUNT}:assumed-role/${HUB_ROLE_NAME}/${functionName}`;
  if (calls.some((e) => e.recipientAccountId !== HUB_ACCOUNT || e.userIdentity.arn !== hubSession || e.additionalEventData?.callWithBearerToken)) return 'bypass';
  if (calls.length > 0) return 'hub call';
  return result.error?.layer ? 'refused' : 'no call';
}

/** `source:name in account by principal`, for readable failures. */
export function describeEvents(events: readonly CloudTrailEvent[]): string[] {
  return events.map((e) => `${e.eventSource.replace('.amazonaws.com', '')}:${e.eventName} in ${e.recipientAccountId} by ${e.userIdentity.arn ?? e.userIdentity.type}${e.errorCode ? ` -> ${e.errorCode}` : ''}`);
}
