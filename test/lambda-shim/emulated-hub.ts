/**
 * The shim's tests run against the project's AWS emulator: real SDK clients over real HTTP, every
 * signature verified, every AssumeRole and Bedrock call decided by the IAM policy engine. This
 * file sets up the accounts and roles they share: a workload function's execution role (whose
 * session signs AssumeRole), the hub role, and a target role in a third account.
 */

import * as net from 'node:net';
import { AwsEmulator, CloudTrailEvent, IssuedCredentials, ManualClock, PolicyDocument } from '../../emulator';

export const HUB = '111122223333';
export const WORKLOAD = '222233334444';
export const AGENTS = '333344445555';
export const REGION = 'us-east-1';
/** A foundation model the emulator serves (access enabled by default). */
export const MODEL = 'amazon.nova-lite-v1:0';
export const HUB_ROLE_ARN = `arn:aws:iam::${HUB}:role/BedrockHubRole`;
export const AGENTS_ROLE_ARN = `arn:aws:iam::${AGENTS}:role/AgentRole`;
export const WORKLOAD_ROLE_ARN = `arn:aws:iam::${WORKLOAD}:role/orders-fn-role`;
/** A distinctive ExternalId, so a test can prove it never shows up in output. */
export const EXTERNAL_ID = 'ext-id-SHOULD-NEVER-APPEAR-7f3a9c';
/** The session name the workload function's own credentials carry (the function name). */
export const FUNCTION_NAME = 'orders-fn';

const STS_ACTIONS = ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'];

/**
 * A trust policy for the workload account: sts:AssumeRole (with the ExternalId condition unless
 * `withExternalId` is false), and `tagging` in a statement of its own (sts:ExternalId is not a
 * condition key of sts:TagSession or sts:SetSourceIdentity).
 */
export function hubTrust(withExternalId = true, tagging: string[] = ['sts:TagSession', 'sts:SetSourceIdentity']): PolicyDocument {
  const principal = { AWS: `arn:aws:iam::${WORKLOAD}:root` };
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: principal,
        Action: 'sts:AssumeRole',
        ...(withExternalId ? { Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } } } : {}),
      },
      ...(tagging.length > 0 ? [{ Effect: 'Allow', Principal: principal, Action: tagging }] : []),
    ],
  };
}

const BEDROCK_EVERYTHING: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'bedrock:*', Resource: '*' }] };

/** An emulator with the three accounts' roles, its clock, and the workload function's own credentials. */
export interface EmulatedHub {
  readonly emulator: AwsEmulator;
  readonly clock: ManualClock;
  /** The execution role's session credentials (what Lambda gives the function): they sign AssumeRole. */
  readonly master: IssuedCredentials & { readonly sessionToken: string };
  readonly endpoint: string;
}

/**
 * Starts the emulator with a standing clock (at a whole second, as STS's expirations are) and the
 * roles: the workload execution role may assume, tag and set a source identity on any role (and
 * call Bedrock itself, for hub mode off); the
 * hub role trusts the workload account with {@link EXTERNAL_ID}; the agents role trusts it without
 * one. Both may call every Bedrock action.
 */
export async function startEmulatedHub(): Promise<EmulatedHub> {
  const clock = new ManualClock({ start: Math.floor(Date.now() / 1000) * 1000 });
  const emulator = await AwsEmulator.start({ clock, defaultRegion: REGION });
  emulator.putRole({
    accountId: WORKLOAD,
    roleName: 'orders-fn-role',
    trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    policies: [
      { name: 'assume', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: STS_ACTIONS, Resource: 'arn:aws:iam::*:role/*' }] } },
      // With hub mode off the function calls Bedrock as itself.
      { name: 'bedrock', document: BEDROCK_EVERYTHING },
    ],
  });
  emulator.putRole({ accountId: HUB, roleName: 'BedrockHubRole', trustPolicy: hubTrust(), policies: [{ name: 'bedrock', document: BEDROCK_EVERYTHING }] });
  emulator.putRole({ accountId: AGENTS, roleName: 'AgentRole', trustPolicy: hubTrust(false), policies: [{ name: 'bedrock', document: BEDROCK_EVERYTHING }] });
  const master = emulator.roleSessionCredentials(WORKLOAD_ROLE_ARN, FUNCTION_NAME, { durationSeconds: 43200, issuedBy: 'lambda.amazonaws.com' });
  return { emulator, clock, master: master as EmulatedHub['master'], endpoint: emulator.endpoint };
}

/** Stops the emulator and checks it saw no internal problem. */
export async function stopEmulatedHub(hub: EmulatedHub | undefined): Promise<void> {
  if (!hub) return;
  const problems = [...hub.emulator.problems];
  await hub.emulator.stop();
  expect(problems).toEqual([]);
}

/** The AssumeRole calls STS served, as the calling (workload) account's trail records them. */
export function assumeRoleCalls(emulator: AwsEmulator): CloudTrailEvent[] {
  return emulator.cloudTrail.find({ eventName: 'AssumeRole', recipientAccountId: WORKLOAD });
}

/** The events of `eventName` in any account's trail, once each. */
export function calls(emulator: AwsEmulator, eventName: string): CloudTrailEvent[] {
  const seen = new Set<string>();
  return emulator.cloudTrail.find({ eventName }).filter((e) => !seen.has(e.requestID) && seen.add(e.requestID) !== undefined);
}

/** The access key ids that signed the calls of `eventName`, in order (failed authentications included). */
export function signers(emulator: AwsEmulator, eventName: string): (string | undefined)[] {
  return calls(emulator, eventName).map((e) => e.userIdentity.accessKeyId);
}

/** The access key ids of the credentials AssumeRole issued, in order. */
export function issuedKeys(emulator: AwsEmulator): string[] {
  return assumeRoleCalls(emulator)
    .map((e) => (e.responseElements as { credentials?: { accessKeyId?: string } } | null)?.credentials?.accessKeyId)
    .filter((key): key is string => key !== undefined);
}

/** The role whose session the access key belongs to (undefined for keys the emulator did not issue). */
export function roleOfKey(emulator: AwsEmulator, accessKeyId: string | undefined): string | undefined {
  const principal = accessKeyId === undefined ? undefined : emulator.credentials.lookup(accessKeyId)?.principal;
  return principal && 'roleArn' in principal ? principal.roleArn : undefined;
}

/** The environment of a hub-enabled function whose AWS endpoints are the emulator. */
export function hubEnv(hub: EmulatedHub, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    BEDROCK_ASSUME_ROLE_ARN: HUB_ROLE_ARN,
    BEDROCK_ASSUME_ROLE_EXTERNAL_ID: EXTERNAL_ID,
    AWS_REGION: REGION,
    AWS_LAMBDA_FUNCTION_NAME: FUNCTION_NAME,
    AWS_ENDPOINT_URL_STS: hub.endpoint,
    ...extra,
  };
}

/** An endpoint on which nothing listens: connections are refused. */
export async function refusedEndpoint(): Promise<string> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
