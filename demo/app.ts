/**
 * The example app: a hub account with the role Bedrock is called through, and a workload account
 * with a `NodejsFunction` whose handler (`handler.ts`) uses the runtime shim.
 *
 * `npm run demo` and the end-to-end tests (`test/e2e/`) both build it from here, with options for
 * what they probe: parameter mode or a literal role ARN, the function's own Bedrock permission,
 * a trust policy that trusts someone else, a hub role without model permission, a VPC.
 */
import * as path from 'path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BedrockHubAccess, BedrockHubRole, BedrockModel } from '../src';

/** The workload account: where the function runs. */
export const WORKLOAD_ACCOUNT = '111111111111';
/** The hub account: where Bedrock is called. */
export const HUB_ACCOUNT = '222222222222';
/** The region of both stacks. */
export const REGION = 'us-east-1';
/** The hub role's name (fixed, so that the workload side can name its ARN before the hub is deployed). */
export const HUB_ROLE_NAME = 'BedrockHubRole';
/** The hub role's ARN. */
export const HUB_ROLE_ARN = `arn:aws:iam::${HUB_ACCOUNT}:role/${HUB_ROLE_NAME}`;
/** The model the handler calls unless told otherwise. */
export const MODEL_ID = 'anthropic.claude-3-haiku-20240307-v1:0';
/**
 * The ExternalId the hub role's trust policy requires. An ExternalId guards against the confused
 * deputy; it is not a password, but it is still never printed.
 */
export const EXTERNAL_ID = 'example-hub-external-id-7f3a9c';
/** Workload stack names start with this; the hub trusts the roles of those stacks only. */
export const WORKLOAD_STACK_PREFIX = 'Workload';
/** The default hub stack name. */
export const HUB_STACK_NAME = 'BedrockHub';
/** The construct id of the function in each workload stack. */
export const FUNCTION_ID = 'AskFunction';
/**
 * The hub's knowledge base. Its vector store lies outside CloudFormation here, so it is created
 * with this id next to the stacks (see `scenario.ts`), and granted to the hub role by id.
 */
export const KNOWLEDGE_BASE_ID = 'HUBKB4DOCS';
/** Where the example handler is. */
export const HANDLER_ENTRY = path.join(__dirname, 'handler.ts');

const REPO = path.resolve(__dirname, '..');

/** Options of the hub stack. */
export interface HubOptions {
  /** @default HUB_STACK_NAME */
  readonly stackName?: string;
  /**
   * The `sts:ExternalId` the trust policy requires.
   * @default EXTERNAL_ID
   */
  readonly externalId?: string;
  /**
   * `aws:PrincipalArn` pattern of the roles the trust policy lets in (besides the workload account
   * as Principal and the ExternalId).
   * @default the roles of the workload stacks: `arn:aws:iam::<workload>:role/Workload*`
   */
  readonly trustedRoleArnPattern?: string;
  /**
   * Whether the hub role may invoke the model (directly and through the application inference
   * profile). Off, it keeps its other grants (guardrail, agent, knowledge base).
   * @default true
   */
  readonly modelPermission?: boolean;
}

/** How a workload stack gets its hub role. */
export enum HubAccessMode {
  /** `new BedrockHubAccess(…, { hubRoleArn: HUB_ROLE_ARN, externalId })`. */
  LITERAL = 'LITERAL',
  /** `BedrockHubAccess.fromParameters(…)`: `BedrockHubRoleArn` & co. decide at deploy time. */
  PARAMETERS = 'PARAMETERS',
  /** No BedrockHubAccess at all: the function calls Bedrock in its own account. */
  NONE = 'NONE',
}

/** Options of one workload stack. */
export interface WorkloadOptions {
  /** Must start with {@link WORKLOAD_STACK_PREFIX} for the default trust policy to admit it. */
  readonly stackName: string;
  /** @default HubAccessMode.LITERAL */
  readonly mode?: HubAccessMode;
  /**
   * The ExternalId given to the construct in literal mode (parameter mode reads the parameter).
   * @default EXTERNAL_ID
   */
  readonly externalId?: string;
  /**
   * Whether the function's own role may invoke models in the workload account, as before the hub.
   * @default false: every Bedrock call must go through the hub
   */
  readonly localBedrockPermission?: boolean;
  /**
   * Puts the function in a VPC with isolated subnets only, and adds the STS interface endpoint it
   * then needs (`BedrockHubAccess.addStsEndpoint`).
   * @default false
   */
  readonly vpc?: boolean;
}

/** Options of {@link buildExampleApp}. */
export interface ExampleAppOptions {
  /** Where the cloud assembly is written. */
  readonly outdir: string;
  /** The hub stack; `false` leaves it out. @default {} */
  readonly hub?: HubOptions | false;
  /** @default one literal-mode workload stack, {@link WORKLOAD_STACK_PREFIX} */
  readonly workloads?: readonly WorkloadOptions[];
}

/** What {@link buildExampleApp} built. */
export interface ExampleApp {
  readonly app: App;
  readonly hub?: HubStack;
  readonly workloads: readonly WorkloadStack[];
}

/** The hub stack and what is in it. */
export interface HubStack {
  readonly stack: Stack;
  readonly role: BedrockHubRole;
  readonly guardrail: bedrock.CfnGuardrail;
  readonly inferenceProfile: bedrock.CfnApplicationInferenceProfile;
  readonly agent: bedrock.CfnAgent;
  readonly agentAlias: bedrock.CfnAgentAlias;
}

/** A workload stack and what is in it. */
export interface WorkloadStack {
  readonly stack: Stack;
  readonly options: WorkloadOptions;
  readonly fn: NodejsFunction;
  readonly table: dynamodb.Table;
  readonly bucket: s3.Bucket;
  readonly access?: BedrockHubAccess;
}

/** Builds the example app (not yet synthesized). */
export function buildExampleApp(options: ExampleAppOptions): ExampleApp {
  const app = new App({
    outdir: options.outdir,
    // What `cdk synth` turns on: construct paths and asset locations in the template's metadata,
    // where the emulator finds each function's bundled code.
    context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true },
  });
  const hub = options.hub === false ? undefined : buildHubStack(app, options.hub ?? {});
  const workloads = (options.workloads ?? [{ stackName: WORKLOAD_STACK_PREFIX }]).map((w) => buildWorkloadStack(app, w));
  return { app, hub, workloads };
}

/**
 * The hub account's stack: the `BedrockHubRole` workload functions assume (trusting the workload
 * stacks' roles, with the ExternalId) and the account-scoped resources that must live in the hub:
 * a guardrail, an application inference profile, an agent; the knowledge base
 * {@link KNOWLEDGE_BASE_ID} is granted too.
 */
export function buildHubStack(app: App, options: HubOptions): HubStack {
  const stack = new Stack(app, options.stackName ?? HUB_STACK_NAME, { env: { account: HUB_ACCOUNT, region: REGION } });

  const guardrail = new bedrock.CfnGuardrail(stack, 'Guardrail', {
    name: 'hub-guardrail',
    blockedInputMessaging: 'The hub guardrail blocked this input.',
    blockedOutputsMessaging: 'The hub guardrail blocked this answer.',
    wordPolicyConfig: { wordsConfig: [{ text: 'password' }] },
  });
  const inferenceProfile = new bedrock.CfnApplicationInferenceProfile(stack, 'InferenceProfile', {
    inferenceProfileName: 'hub-claude-haiku',
    modelSource: { copyFrom: `arn:aws:bedrock:${REGION}::foundation-model/${MODEL_ID}` },
  });
  const agent = new bedrock.CfnAgent(stack, 'Agent', { agentName: 'hub-helpdesk-agent', foundationModel: MODEL_ID });
  const agentAlias = new bedrock.CfnAgentAlias(stack, 'AgentAlias', { agentAliasName: 'live', agentId: agent.attrAgentId });

  const model = BedrockModel.foundationModel(MODEL_ID);
  const role = new BedrockHubRole(stack, 'HubRole', {
    roleName: HUB_ROLE_NAME,
    trustedAccounts: [WORKLOAD_ACCOUNT],
    trustedPrincipalArnPatterns: [options.trustedRoleArnPattern ?? `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/${WORKLOAD_STACK_PREFIX}*`],
    externalId: options.externalId ?? EXTERNAL_ID,
    models: options.modelPermission ?? true
      ? [model, BedrockModel.applicationInferenceProfile(inferenceProfile.attrInferenceProfileArn, { routesTo: model })]
      : [],
    guardrails: [guardrail.attrGuardrailArn],
    agentAliases: [agentAlias.attrAgentAliasArn],
    knowledgeBases: [KNOWLEDGE_BASE_ID],
  });
  if (role.roleArn !== HUB_ROLE_ARN) {
    throw new Error(`the hub role's ARN is ${role.roleArn}, but the workload stacks name ${HUB_ROLE_ARN}`);
  }

  return { stack, role, guardrail, inferenceProfile, agent, agentAlias };
}

/**
 * A workload account's stack: one function that calls Bedrock through the shim and writes to a
 * DynamoDB table and an S3 bucket of its own account with plain clients.
 */
export function buildWorkloadStack(app: App, options: WorkloadOptions): WorkloadStack {
  const stack = new Stack(app, options.stackName, { env: { account: WORKLOAD_ACCOUNT, region: REGION } });

  const table = new dynamodb.Table(stack, 'Answers', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const bucket = new s3.Bucket(stack, 'Transcripts', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });

  const vpc = options.vpc
    ? new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] })
    : undefined;

  const fn = new NodejsFunction(stack, FUNCTION_ID, {
    entry: HANDLER_ENTRY,
    runtime: Runtime.NODEJS_22_X,
    memorySize: 256,
    timeout: Duration.seconds(30),
    environment: { TABLE_NAME: table.tableName, BUCKET_NAME: bucket.bucketName },
    vpc,
    projectRoot: REPO,
    depsLockFilePath: path.join(REPO, 'package-lock.json'),
    // The Lambda Node.js runtime provides the AWS SDK; the shim is bundled in.
    bundling: { externalModules: ['@aws-sdk/*'], forceDockerBundling: false, minify: true, sourceMap: false },
  });
  table.grantReadWriteData(fn);
  bucket.grantReadWrite(fn);
  if (options.localBedrockPermission) {
    fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      resources: [`arn:aws:bedrock:${REGION}::foundation-model/*`],
    }));
  }

  let access: BedrockHubAccess | undefined;
  switch (options.mode ?? HubAccessMode.LITERAL) {
    case HubAccessMode.LITERAL:
      access = new BedrockHubAccess(stack, 'BedrockHub', { hubRoleArn: HUB_ROLE_ARN, externalId: options.externalId ?? EXTERNAL_ID, functions: [fn] });
      break;
    case HubAccessMode.PARAMETERS:
      access = BedrockHubAccess.fromParameters(stack, 'BedrockHub', { functions: [fn] });
      break;
    case HubAccessMode.NONE:
      break;
  }
  if (access && vpc) {
    access.addStsEndpoint(vpc);
  }

  return { stack, options, fn, table, bucket, access };
}

/** The parameter values of a parameter-mode workload stack: hub on (with or without ExternalId) or off. */
export function hubParameters(hub: 'on' | 'on-without-external-id' | 'off'): Record<string, string> {
  return {
    BedrockHubRoleArn: hub === 'off' ? '' : HUB_ROLE_ARN,
    BedrockHubRoleExternalId: hub === 'on' ? EXTERNAL_ID : '',
    BedrockHubRoleSessionName: '',
  };
}
