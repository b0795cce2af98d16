/**
 * The local AWS emulator (dev/test only, never published).
 *
 * A loopback endpoint speaking HTTP/1.1 and cleartext HTTP/2 on one port, which real SDK v3 clients
 * reach through `AWS_ENDPOINT_URL` (or a client's `endpoint`): STS, Bedrock runtime, control plane and
 * agent runtime, DynamoDB and S3, on their real wire protocols. Every request's SigV4 signature is
 * verified against the secret the emulator issued; every request is authorized by a real IAM policy
 * engine over the policies of synthesized CloudFormation templates; everything is recorded in a
 * CloudTrail-like log. Time comes from one movable clock, shared with child processes.
 *
 * @example
 * const clock = new ManualClock();
 * const emulator = await AwsEmulator.start({ clock });
 * emulator.loadTemplate({ template: hubTemplate, accountId: HUB, stackName: 'Hub' });
 * emulator.loadTemplate({ template: workloadTemplate, accountId: WORKLOAD, stackName: 'Workload' });
 * const lambda = await emulator.startLambda('Handler', { code: bundleDirectory });
 * const first = await lambda.invoke({});
 * clock.advance(3 * 3600_000);
 * const later = await lambda.invoke({});
 * emulator.cloudTrail.find({ eventName: 'AssumeRole', recipientAccountId: HUB });
 * await emulator.stop();
 */
import { randomUUID } from 'crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { Stack, Stage, Token } from 'aws-cdk-lib';
import { Clock, isoSeconds, ManualClock } from './clock/clock';
import { ClockBridge } from './clock/clock-bridge';
import { assumedRoleArn } from './iam/arn';
import { BedrockApiKey, BedrockApiKeyOptions, issueBedrockApiKey } from './iam/bedrock-api-keys';
import { CloudTrail } from './iam/cloudtrail';
import { CredentialStore, IssuedCredentials, toIssuedCredentials } from './iam/credentials';
import { AccountDefinition, IdentityStore, NamedPolicy, Role, RoleDefinition, RoleSession } from './iam/identities';
import { PolicyEngine } from './iam/policy-engine';
import { CfnTemplate, ResolvedStack, resolveTemplate, TemplateSource } from './iam/templates';
import { LambdaCredentials, lambdaEnvironment, LambdaFunction, LambdaFunctions } from './lambda/functions';
import type { PythonRuntimeOptions } from './lambda/python-runtime';
import { LambdaRunner, LambdaRunnerOptions } from './lambda/runner';
import { BearerTokenRegistry } from './server/auth';
import { Dispatcher, EmulatorProblem } from './server/dispatcher';
import { FaultInjector } from './server/faults';
import { EmulatorServer } from './server/server';
import { BedrockAgentRuntimeService } from './services/bedrock-agent-runtime';
import { BedrockControlPlaneService } from './services/bedrock-control-plane';
import { BedrockResources } from './services/bedrock-resources';
import { BedrockRuntimeService } from './services/bedrock-runtime';
import { DynamoDbService, DynamoDbTables } from './services/dynamodb';
import { OpenAiCompatibleService } from './services/openai-compatible';
import { S3Buckets, S3Service } from './services/s3';
import { StsService } from './services/sts';
import type { StsQuotaOptions } from './services/sts-quota';
import { StsRequestQuota } from './services/sts-quota';

/** Options for {@link AwsEmulator.start}. */
export interface AwsEmulatorOptions {
  /**
   * The clock for credential expiry, SigV4 skew checks, CloudTrail and the `Date` header.
   * @default a new standing `ManualClock` at the current time
   */
  readonly clock?: Clock;
  /** The region of requests that carry none in a credential scope. @default 'us-east-1' */
  readonly defaultRegion?: string;
  /** Also append CloudTrail events as JSON lines to this file. */
  readonly cloudTrailFile?: string;
  /** @default 0 (a random free port) */
  readonly port?: number;
  /** A per-account STS request quota (token bucket), answered with `Throttling: Rate exceeded` beyond it. @default none */
  readonly stsQuota?: StsQuotaOptions;
}

/** Options for {@link AwsEmulator.loadStack}. */
export interface LoadStackOptions {
  /** @default the stack's account, if it is not a token */
  readonly accountId?: string;
  /** @default the stack's region, if it is not a token, else the emulator's default region */
  readonly region?: string;
  readonly parameters?: Readonly<Record<string, string>>;
}

/** Options for {@link AwsEmulator.loadCloudAssembly}. */
export interface LoadCloudAssemblyOptions {
  /** Account per stack name, for stacks synthesized without an explicit account. */
  readonly accounts?: Readonly<Record<string, string>>;
  /** Parameter values per stack name. */
  readonly parameters?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** Options for {@link AwsEmulator.startLambda}. */
export interface StartLambdaOptions {
  /** The bundled handler file or asset directory. @default the function's asset directory, or its inline code */
  readonly code?: string;
  /** @default the function's `Timeout` */
  readonly timeoutSeconds?: number;
  /** Variables added to (or overriding) the function's environment. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Receives every log line. */
  readonly onLog?: LambdaRunnerOptions['onLog'];
  /** The `node` that runs the function (e.g. Lambda's Node.js 22 or 24). @default this process's */
  readonly nodeExecutable?: string;
  /** For a Python function: the interpreter (with boto3) and the layers' directories. @default python3, no layers */
  readonly python?: PythonRuntimeOptions;
}

/** The SDK client settings for the emulator: `new STSClient(emulator.clientConfig(credentials))`. */
export interface EmulatorClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
}

/** The emulator. */
export class AwsEmulator {
  /** Starts an emulator on a loopback port. */
  public static async start(options: AwsEmulatorOptions = {}): Promise<AwsEmulator> {
    const emulator = new AwsEmulator(options);
    emulator.server = await EmulatorServer.listen((request) => emulator.dispatcher.handle(request), {
      port: options.port,
      dateHeader: () => new Date(emulator.clock.now()).toUTCString(),
    });
    return emulator;
  }

  /** The shared clock. */
  public readonly clock: Clock;
  /** The region of requests without a credential scope. */
  public readonly defaultRegion: string;
  /** Accounts, roles, users and policies. */
  public readonly identities = new IdentityStore();
  /** Every credential the emulator issued. */
  public readonly credentials: CredentialStore;
  /** The IAM policy engine. */
  public readonly policies: PolicyEngine;
  /** The CloudTrail-like log. */
  public readonly cloudTrail: CloudTrail;
  /** Request-level fault rules. */
  public readonly faults = new FaultInjector();
  /** Bedrock API keys accepted as `Authorization: Bearer` (none by default). */
  public readonly bearerTokens = new BearerTokenRegistry();
  /** Foundation models, model access, guardrails, inference profiles, agents, knowledge bases, the responder. */
  public readonly bedrock = new BedrockResources();
  /** DynamoDB tables. */
  public readonly dynamodb = new DynamoDbTables();
  /** S3 buckets. */
  public readonly s3 = new S3Buckets();
  /** Lambda functions of the loaded templates. */
  public readonly functions = new LambdaFunctions();
  /** Internal problems (invalid policies, emulator faults); a healthy test leaves this empty. */
  public readonly problems: EmulatorProblem[] = [];

  private server!: EmulatorServer;
  private readonly dispatcher: Dispatcher;
  private readonly exports = new Map<string, unknown>();
  private readonly runners = new Set<LambdaRunner>();
  private readonly temporaryDirectories: string[] = [];
  private bridge: ClockBridge | undefined;
  private stsQuota: StsRequestQuota | undefined;

  private constructor(options: AwsEmulatorOptions) {
    this.clock = options.clock ?? new ManualClock();
    this.defaultRegion = options.defaultRegion ?? 'us-east-1';
    this.credentials = new CredentialStore(this.clock);
    this.policies = new PolicyEngine(this.identities, this.clock);
    this.cloudTrail = new CloudTrail({ file: options.cloudTrailFile });
    this.dispatcher = new Dispatcher({
      services: [
        new StsService(this.identities, this.policies, this.credentials),
        new BedrockRuntimeService(this.bedrock, this.policies),
        new BedrockControlPlaneService(this.bedrock, this.policies),
        new BedrockAgentRuntimeService(this.bedrock, this.policies),
        new DynamoDbService(this.dynamodb, this.policies),
        new S3Service(this.s3, this.policies),
        OpenAiCompatibleService.runtime(this.bedrock, this.policies),
        OpenAiCompatibleService.mantle(this.bedrock, this.policies),
      ],
      credentials: this.credentials,
      bearerTokens: this.bearerTokens,
      clock: this.clock,
      faults: this.faults,
      cloudTrail: this.cloudTrail,
      defaultRegion: this.defaultRegion,
      onProblem: (problem) => this.problems.push(problem),
      stsQuota: () => this.stsQuota,
    });
    this.setStsQuota(options.stsQuota);
  }

  /** Puts a per-account STS request quota in force (`undefined`: none); buckets start full. */
  public setStsQuota(options: StsQuotaOptions | undefined): void {
    this.stsQuota = options && new StsRequestQuota(options, this.clock.now);
  }

  /** `http://127.0.0.1:<port>`: the value for `AWS_ENDPOINT_URL` or a client's `endpoint`. */
  public get endpoint(): string {
    return this.server.endpoint;
  }

  /** The port. */
  public get port(): number {
    return this.server.port;
  }

  /** SDK client settings for `credentials` against this emulator. */
  public clientConfig(credentials: IssuedCredentials, region = this.defaultRegion): EmulatorClientConfig {
    return {
      endpoint: this.endpoint,
      region,
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken },
    };
  }

  // ---- accounts and principals ----

  /** Registers an account: its organization (for `aws:PrincipalOrgID`) and SCPs. */
  public registerAccount(definition: AccountDefinition): void {
    this.identities.registerAccount(definition);
  }

  /** Creates or replaces a role directly (templates do this for theirs). */
  public putRole(definition: RoleDefinition): Role {
    return this.identities.putRole(definition);
  }

  /** Creates an IAM user with inline policies and returns a long-term access key for it. */
  public createUser(accountId: string, userName: string, policies: readonly NamedPolicy[] = []): IssuedCredentials {
    const user = this.identities.putUser(accountId, userName, policies);
    return toIssuedCredentials(this.credentials.issueAccessKey(this.identities.userPrincipal(user)));
  }

  /**
   * Mints credentials for a session of a loaded role without going through STS, as an AWS service does
   * for a role it runs as.
   */
  public roleSessionCredentials(roleArn: string, sessionName: string, options: { durationSeconds?: number; issuedBy?: RoleSession['issuedBy'] } = {}): IssuedCredentials {
    const role = this.identities.roleByArn(roleArn);
    if (!role) {
      throw new Error(`roleSessionCredentials: no role ${roleArn} is loaded`);
    }
    const session: RoleSession = {
      type: 'AssumedRole',
      accountId: role.accountId,
      arn: assumedRoleArn(role.accountId, role.roleName, sessionName),
      roleArn: role.arn,
      roleName: role.roleName,
      roleId: role.roleId,
      sessionName,
      principalId: `${role.roleId}:${sessionName}`,
      issuedAt: this.clock.now(),
      issuedBy: options.issuedBy ?? 'sts',
      tags: {},
      transitiveTagKeys: [],
    };
    return toIssuedCredentials(this.credentials.issueSession(session, options.durationSeconds ?? 3600));
  }

  /** Issues a Bedrock API key (an `AWS_BEARER_TOKEN_BEDROCK` value) acting as a new IAM user of `options.accountId`. */
  public createBedrockApiKey(options: BedrockApiKeyOptions): BedrockApiKey {
    return issueBedrockApiKey(this.identities, this.bearerTokens, options);
  }

  /** Expires an access key now: its next request gets `ExpiredToken` / `ExpiredTokenException`. */
  public expireCredentials(accessKeyId: string): void {
    this.credentials.expire(accessKeyId);
  }

  // ---- templates ----

  /** Loads a synthesized template into an account: its roles, policies, functions and resources. */
  public loadTemplate(source: TemplateSource): ResolvedStack {
    const region = source.region ?? this.defaultRegion;
    const stack = resolveTemplate({ ...source, region }, (name) => this.exports.get(`${source.accountId}|${region}|${name}`));
    this.apply(stack);
    return stack;
  }

  /** Synthesizes a CDK stack (through its app) and loads its template, with its assets. */
  public loadStack(stack: Stack, options: LoadStackOptions = {}): ResolvedStack {
    const stage = Stage.of(stack);
    if (!stage) {
      throw new Error(`loadStack: ${stack.stackName} is not in an App or Stage`);
    }
    const assembly = stage.synth();
    const artifact = assembly.getStackArtifact(stack.artifactId);
    const accountId = options.accountId ?? (Token.isUnresolved(stack.account) ? undefined : stack.account);
    if (!accountId) {
      throw new Error(`loadStack: ${stack.stackName} has no concrete account; pass options.accountId`);
    }
    return this.loadTemplate({
      template: artifact.template as CfnTemplate,
      accountId,
      region: options.region ?? (Token.isUnresolved(stack.region) ? undefined : stack.region),
      stackName: stack.stackName,
      parameters: options.parameters,
      assetDirectory: assembly.directory,
    });
  }

  /** Loads every stack of a cloud assembly directory (`cdk.out`), in manifest order. */
  public loadCloudAssembly(directory: string, options: LoadCloudAssemblyOptions = {}): ResolvedStack[] {
    type Artifact = { type: string; environment?: string; properties?: { templateFile?: string; stackName?: string } };
    const manifest = JSON.parse(readFileSync(join(directory, 'manifest.json'), 'utf8')) as { artifacts?: Record<string, Artifact> };
    const loaded: ResolvedStack[] = [];
    for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
      if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) {
        continue;
      }
      const stackName = artifact.properties.stackName ?? artifactId;
      const [, envAccount, envRegion] = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '') ?? [];
      const accountId = options.accounts?.[stackName] ?? (/^\d{12}$/.test(envAccount ?? '') ? envAccount : undefined);
      if (!accountId) {
        throw new Error(`loadCloudAssembly: stack ${stackName} has no concrete account; pass options.accounts['${stackName}']`);
      }
      loaded.push(this.loadTemplate({
        template: JSON.parse(readFileSync(join(directory, artifact.properties.templateFile), 'utf8')) as CfnTemplate,
        accountId,
        region: envRegion && !envRegion.startsWith('unknown') ? envRegion : undefined,
        stackName,
        parameters: options.parameters?.[stackName],
        assetDirectory: resolve(directory),
      }));
    }
    return loaded;
  }

  private apply(stack: ResolvedStack): void {
    const { accountId, region } = stack;
    for (const role of stack.roles) {
      this.identities.putRole({ ...role, accountId });
    }
    for (const { policy, managedPolicyArn, roleNames, userNames } of stack.policies) {
      if (managedPolicyArn) {
        this.identities.putManagedPolicy(managedPolicyArn, policy.document);
      }
      for (const roleName of roleNames) {
        if (managedPolicyArn) {
          this.identities.attachRoleManagedPolicy(accountId, roleName, managedPolicyArn);
        } else {
          this.identities.attachRolePolicy(accountId, roleName, policy);
        }
      }
      for (const userName of userNames) {
        this.identities.attachUserPolicy(accountId, userName, policy);
      }
    }
    for (const fn of stack.functions) {
      this.functions.register({ ...fn, accountId, region, stackName: stack.stackName });
    }
    for (const table of stack.tables) {
      this.dynamodb.createTable({ accountId, region, tableName: table.tableName, keySchema: table.keySchema, createdAt: this.clock.now() });
    }
    for (const bucket of stack.buckets) {
      this.s3.createBucket({ bucketName: bucket.bucketName, accountId, region });
    }
    for (const g of stack.guardrails) {
      this.bedrock.addGuardrail({
        accountId,
        region,
        name: g.name,
        guardrailId: g.guardrailId,
        blockedWords: g.blockedWords,
        blockedInputMessaging: g.blockedInputMessaging,
        blockedOutputsMessaging: g.blockedOutputsMessaging,
      });
    }
    for (const p of stack.applicationInferenceProfiles) {
      this.bedrock.addApplicationInferenceProfile({
        accountId, region, name: p.name, copyFrom: p.copyFrom, inferenceProfileId: p.inferenceProfileId,
      });
    }
    for (const agent of stack.agents) {
      this.bedrock.addAgent({ accountId, region, name: agent.name, agentId: agent.agentId, foundationModel: agent.foundationModel });
    }
    for (const alias of stack.agentAliases) {
      this.bedrock.addAgentAlias({ accountId, region, agentId: alias.agentId, agentAliasId: alias.agentAliasId, name: alias.name });
    }
    for (const kb of stack.knowledgeBases) {
      this.bedrock.addKnowledgeBase({ accountId, region, name: kb.name, knowledgeBaseId: kb.knowledgeBaseId });
    }
    for (const [name, value] of Object.entries(stack.exports)) {
      this.exports.set(`${accountId}|${region}|${name}`, value);
    }
  }

  // ---- Lambda ----

  /** A loaded function, by name, ARN, logical ID (or unique prefix) or `<stackName>/<logicalId>`. */
  public lambdaFunction(reference: string): LambdaFunction {
    return this.functions.get(reference);
  }

  /**
   * Mints the execution-role credentials Lambda would give a function: a session of its role named after
   * the function, issued by `lambda.amazonaws.com` (the role's trust policy must trust that service).
   * @param options.durationSeconds @default 43200
   */
  public async lambdaCredentials(reference: string, options: { durationSeconds?: number } = {}): Promise<LambdaCredentials> {
    const fn = this.functions.get(reference);
    const role = this.identities.roleByArn(fn.roleArn);
    if (!role) {
      throw new Error(`lambdaCredentials: ${fn.functionName}'s role ${fn.roleArn} is not loaded`);
    }
    if (!(await this.policies.serviceMayAssumeRole('lambda.amazonaws.com', role.arn, role.accountId, role.trustPolicy))) {
      throw new Error(`lambdaCredentials: the trust policy of ${role.arn} does not let lambda.amazonaws.com assume it (Lambda: "The role defined for the function cannot be assumed by Lambda.")`);
    }
    const durationSeconds = options.durationSeconds ?? 43200;
    const issued = this.roleSessionCredentials(role.arn, fn.functionName, { durationSeconds, issuedBy: 'lambda.amazonaws.com' });
    const principalArn = assumedRoleArn(role.accountId, role.roleName, fn.functionName);
    const now = this.clock.now();
    this.cloudTrail.record({
      userIdentity: { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' },
      eventTime: now,
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      awsRegion: fn.region,
      sourceIPAddress: 'lambda.amazonaws.com',
      userAgent: 'lambda.amazonaws.com',
      requestParameters: { roleArn: role.arn, roleSessionName: fn.functionName, durationSeconds },
      responseElements: {
        credentials: { accessKeyId: issued.accessKeyId, expiration: isoSeconds(issued.expiration!) },
        assumedRoleUser: { assumedRoleId: `${role.roleId}:${fn.functionName}`, arn: principalArn },
      },
      requestID: randomUUID(),
      readOnly: false,
      resources: [{ ARN: role.arn, accountId: role.accountId, type: 'AWS::IAM::Role' }],
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: role.accountId,
      eventCategory: 'Management',
    });
    return {
      accessKeyId: issued.accessKeyId,
      secretAccessKey: issued.secretAccessKey,
      sessionToken: issued.sessionToken!,
      expiration: issued.expiration!,
      principalArn,
      roleArn: role.arn,
      functionName: fn.functionName,
    };
  }

  /**
   * The environment Lambda gives the function: template variables, reserved `AWS_*` variables,
   * execution-role credentials (minted unless given) and `AWS_ENDPOINT_URL` pointing here.
   */
  public async lambdaEnvironment(reference: string, credentials?: LambdaCredentials): Promise<Record<string, string>> {
    const fn = this.functions.get(reference);
    return lambdaEnvironment(fn, credentials ?? await this.lambdaCredentials(reference), this.endpoint);
  }

  /** The bridge that shares this emulator's clock with child processes (created on first use). */
  public clockBridge(): ClockBridge {
    this.bridge ??= ClockBridge.create(this.clock);
    return this.bridge;
  }

  /**
   * Starts a warm execution environment for a function: a child `node` process (`python` for a Python runtime) running the bundled
   * handler with the function's environment, fresh execution credentials per cold start, and the
   * emulator's clock. Stopped by {@link stop}.
   */
  public async startLambda(reference: string, options: StartLambdaOptions = {}): Promise<LambdaRunner> {
    const fn = this.functions.get(reference);
    let code = options.code ?? fn.assetPath;
    if (!code && fn.inlineCode !== undefined) {
      code = mkdtempSync(join(tmpdir(), 'aws-emulator-inline-'));
      this.temporaryDirectories.push(code);
      writeFileSync(join(code, `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.js`), fn.inlineCode);
    }
    if (!code) {
      throw new Error(`startLambda: ${fn.functionName} has no asset directory or inline code; pass options.code`);
    }
    const environmentForColdStart = async (): Promise<Record<string, string>> =>
      ({ ...(await this.lambdaEnvironment(reference)), ...(options.environment ?? {}) });
    const runner = await LambdaRunner.start({
      code,
      handler: fn.handler,
      environment: {},
      environmentForColdStart,
      functionName: fn.functionName,
      functionArn: fn.arn,
      memorySizeMb: fn.memorySizeMb,
      timeoutSeconds: options.timeoutSeconds ?? fn.timeoutSeconds,
      clockBridge: this.clockBridge(),
      onLog: options.onLog,
      nodeExecutable: options.nodeExecutable,
      runtime: fn.runtime,
      python: options.python,
    });
    this.runners.add(runner);
    return runner;
  }

  // ---- connection faults ----

  /** Refuses new connections (`ECONNREFUSED`); with `dropOpen`, also closes open ones. */
  public async refuseConnections(dropOpen = true): Promise<void> {
    await this.server.stopAccepting(dropOpen);
  }

  /** Accepts connections again, on the same port. */
  public async acceptConnections(): Promise<void> {
    await this.server.resumeAccepting();
  }

  /** Closes every open connection (keep-alive sockets and HTTP/2 sessions). */
  public dropConnections(): void {
    this.server.dropConnections();
  }

  /** Stops the emulator, its Lambda environments and its clock bridge. */
  public async stop(): Promise<void> {
    await Promise.all([...this.runners].map((r) => r.stop()));
    this.runners.clear();
    await this.server.close();
    this.bridge?.close();
    this.bridge = undefined;
    for (const directory of this.temporaryDirectories.splice(0)) {
      rmSync(directory, { recursive: true, force: true });
    }
  }
}

export * from './clock/clock';
export { ClockBridge } from './clock/clock-bridge';
export { CLOCK_FILE_ENV } from './clock/clock-file';
export type { CloudTrailEvent, CloudTrailFilter, UserIdentity } from './iam/cloudtrail';
export { CloudTrail, REDACTED } from './iam/cloudtrail';
export type { IssuedCredentials } from './iam/credentials';
export type { EmulatorProblem } from './server/dispatcher';
export { ServiceError } from './server/errors';
export type { FaultRule, FaultKind, ServiceName, ActiveFault } from './server/faults';
export type { AccountDefinition, NamedPolicy, PolicyDocument, Role, RoleDefinition, RoleSession, Principal } from './iam/identities';
export type { LambdaCredentials, LambdaFunction } from './lambda/functions';
export { LambdaRunner } from './lambda/runner';
export type { InvocationResult, LambdaRunnerOptions } from './lambda/runner';
export type { PythonRuntimeOptions } from './lambda/python-runtime';
export type { LambdaErrorPayload } from './lambda/protocol';
export type { BedrockResponder, ResponderInput } from './services/bedrock-resources';
export type { FoundationModel } from './services/bedrock-models';
export type { CfnTemplate, ResolvedStack, TemplateSource } from './iam/templates';
export { resolveTemplate, TemplateError } from './iam/templates';
export type { DeployedResource } from './iam/templates';
export { deployedResources } from './iam/templates';
export type { AccessCaller, AccessDecision, AccessRequest } from './iam/access-evaluation';
export { evaluateAccess } from './iam/access-evaluation';
export type { DeployedRole, TemplateEnvironment } from './iam/template-deployment';
export { deploymentOf, resourcesIn, roleIn, rolesIn } from './iam/template-deployment';
export { encodeEventStreamMessage, decodeEventStream } from './server/event-stream';
export type { StsQuotaOptions } from './services/sts-quota';
export type { BedrockApiKey, BedrockApiKeyOptions } from './iam/bedrock-api-keys';
export { OPENAI_COMPATIBLE_MODELS } from './services/openai-compatible';
