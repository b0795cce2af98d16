/**
 * The hub scenario the benchmarks run against: the local AWS emulator (real SigV4 verification,
 * real AssumeRole with a trust policy and an ExternalId, Bedrock runtime over h2c) with the example
 * app's hand-written hub and workload templates (test/fixtures/hub-app/templates.ts), and the
 * workload function's execution credentials; and {@link withWarmHub}, that scenario with a warm hub
 * session, for the benchmarks that time calls on cached hub credentials.
 *
 * Kept apart from `support.ts` so the pure helpers load without the emulator.
 */

import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsEmulator, systemClock } from '../emulator';
import type { Clock, FaultRule, LambdaRunner, StsQuotaOptions } from '../emulator';
import { getBedrockHubSession, resetBedrockHubSessions } from '../lambda-shim';
import type { BedrockHubSession } from '../lambda-shim';
import { EXTERNAL_ID, HUB_ACCOUNT, HUB_ROLE_ARN, REGION, WORKLOAD_ACCOUNT } from '../test/fixtures/hub-app/accounts';
import { allow, hubTemplate, workloadTemplate } from '../test/fixtures/hub-app/templates';

export { EXTERNAL_ID, HUB_ROLE_ARN, MODEL_ID, REGION } from '../test/fixtures/hub-app/accounts';
export const SESSION_NAME = 'bench-handler';

/** Static credentials, as SDK clients take them. */
export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** The hub role may invoke models and read them, and nothing else: what the benchmarks call. */
const HUB_PERMISSIONS = allow(
  ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:GetFoundationModel'],
  ['arn:aws:bedrock:*::foundation-model/*', `arn:aws:bedrock:*:${HUB_ACCOUNT}:inference-profile/*`],
);

/** A running hub scenario. Stop it with {@link HubScenario.stop}. */
export class HubScenario {
  /** Starts the emulator on 127.0.0.1 (on the wall clock unless given another) and loads both stacks. */
  public static async start(options: { readonly clock?: Clock } = {}): Promise<HubScenario> {
    const emulator = await AwsEmulator.start({ clock: options.clock ?? systemClock, defaultRegion: REGION });
    emulator.loadTemplate({ template: hubTemplate({ permissions: HUB_PERMISSIONS }), accountId: HUB_ACCOUNT, stackName: 'Hub' });
    emulator.loadTemplate({ template: workloadTemplate(), accountId: WORKLOAD_ACCOUNT, stackName: 'Workload' });
    const lambda = await emulator.lambdaCredentials('Handler');
    return new HubScenario(emulator, { accessKeyId: lambda.accessKeyId, secretAccessKey: lambda.secretAccessKey, sessionToken: lambda.sessionToken });
  }

  /** The function's own (execution-role) credentials: what AssumeRole is signed with. */
  public readonly masterCredentials: StaticCredentials;
  readonly #emulator: AwsEmulator;

  private constructor(emulator: AwsEmulator, masterCredentials: StaticCredentials) {
    this.#emulator = emulator;
    this.masterCredentials = masterCredentials;
  }

  /** `http://127.0.0.1:<port>`. */
  public get endpoint(): string {
    return this.#emulator.endpoint;
  }

  /** The function's environment, for `getBedrockHubSession({ env })`. */
  public get env(): Record<string, string> {
    return {
      BEDROCK_ASSUME_ROLE_ARN: HUB_ROLE_ARN,
      BEDROCK_ASSUME_ROLE_EXTERNAL_ID: EXTERNAL_ID,
      BEDROCK_ASSUME_ROLE_SESSION_NAME: SESSION_NAME,
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL: this.endpoint,
    };
  }

  /** How many AssumeRole requests on the hub role the emulator has answered (successful or not). */
  public hubAssumeRoleCount(): number {
    return this.#emulator.cloudTrail.find({ eventName: 'AssumeRole', recipientAccountId: HUB_ACCOUNT })
      .filter((event) => event.userIdentity.type !== 'AWSService').length;
  }

  /** Every AssumeRole request the workload account made, answered or refused; only those refused with `errorCode` if given. */
  public workloadAssumeRoleCount(errorCode?: string): number {
    return this.#emulator.cloudTrail.find({ eventName: 'AssumeRole', recipientAccountId: WORKLOAD_ACCOUNT })
      .filter((event) => event.userIdentity.type !== 'AWSService' && (errorCode === undefined || event.errorCode === errorCode)).length;
  }

  /** Puts a per-account STS request quota in force (`undefined`: none); its buckets start full. */
  public setStsQuota(options: StsQuotaOptions | undefined): void {
    this.#emulator.setStsQuota(options);
  }

  /** Starts the workload function from the bundle in `code` as a warm execution environment (stopped with the scenario). */
  public startLambda(code: string, environment: Readonly<Record<string, string>> = {}): Promise<LambdaRunner> {
    return this.#emulator.startLambda('Handler', { code, environment });
  }

  /** Adds an emulator fault rule (e.g. STS latency); returns its remover. */
  public injectFault(rule: FaultRule): () => void {
    const fault = this.#emulator.faults.inject(rule);
    return () => fault.remove();
  }

  /** An STS client signed with the function's own credentials. */
  public stsClient(): STSClient {
    return new STSClient({ endpoint: this.endpoint, region: REGION, credentials: this.masterCredentials });
  }

  /** Hub credentials from one AssumeRole, the way a hand-rolled handler gets them. */
  public async assumeHubRole(sts: STSClient = this.stsClient()): Promise<StaticCredentials & { expiration: Date }> {
    const output = await sts.send(new AssumeRoleCommand({ RoleArn: HUB_ROLE_ARN, RoleSessionName: SESSION_NAME, ExternalId: EXTERNAL_ID }));
    const credentials = output.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken || !credentials.Expiration) {
      throw new Error('AssumeRole answered without credentials');
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: credentials.Expiration,
    };
  }

  /** Stops the emulator; throws if it met an internal problem. */
  public async stop(): Promise<void> {
    const problems = [...this.#emulator.problems];
    await this.#emulator.stop();
    if (problems.length > 0) throw new Error(`the emulator met ${problems.length} internal problem(s): ${JSON.stringify(problems[0])}`);
  }
}

/** What {@link withWarmHub} gives its body. */
export interface WarmHub {
  readonly scenario: HubScenario;
  /** Hub role credentials from one AssumeRole of their own, for the static-credentials side. */
  readonly credentials: StaticCredentials & { expiration: Date };
  /** A fresh hub session whose credentials are cached: one AssumeRole, before anything is timed. */
  readonly hub: BedrockHubSession;
  /** The hub's AssumeRole count before the session was created. */
  readonly assumeRolesBeforeSession: number;
}

/**
 * Starts a hub scenario, takes hub credentials for static use, then creates a fresh hub session and
 * warms it; runs `body`, then resets the process-wide hub sessions and stops the scenario, even
 * when `body` throws. Resolves with what `body` resolves with.
 */
export async function withWarmHub<T>(body: (warm: WarmHub) => Promise<T>): Promise<T> {
  const scenario = await HubScenario.start();
  try {
    const credentials = await scenario.assumeHubRole();
    resetBedrockHubSessions();
    const assumeRolesBeforeSession = scenario.hubAssumeRoleCount();
    const hub = getBedrockHubSession({ env: scenario.env, masterCredentials: scenario.masterCredentials });
    await hub.identity();
    return await body({ scenario, credentials, hub, assumeRolesBeforeSession });
  } finally {
    resetBedrockHubSessions();
    await scenario.stop();
  }
}
