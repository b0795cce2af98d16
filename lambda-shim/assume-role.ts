/**
 * The one call that crosses into the hub: `sts:AssumeRole`, on a regional STS client that fails
 * fast, with the identity check that costs nothing.
 */

// @aws-sdk/* is provided by the Lambda Node.js runtime and kept out of bundles (NodejsFunction
// marks it external); the package lists it as a development dependency only for that reason.
// eslint-disable-next-line import/no-extraneous-dependencies
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { STSClientConfig } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { explainAssumeRoleError } from './assume-role-diagnosis';
import type { RoleToAssume } from './config';
import type { ExpiringCredentials } from './credential-cache';
import { BedrockHubError } from './errors';

/**
 * Give up connecting to STS after this long: a VPC without an STS endpoint drops packets. (The
 * Node.js handler cannot cancel a connection timer under 2 s when a connection fails early, which
 * keeps the event loop busy; from 2 s on it can.)
 */
export const STS_CONNECTION_TIMEOUT_MS = 2_000;
/** Give up on an STS request after this long (AssumeRole normally answers well within a second). */
export const STS_REQUEST_TIMEOUT_MS = 3_500;
/** One try and one retry, so an unreachable STS costs seconds, not the function's timeout. */
export const STS_MAX_ATTEMPTS = 2;

/** Credentials of an assumed role session (hub role or target role), with who they belong to. */
export interface AssumedRoleCredentials extends ExpiringCredentials {
  /** `AssumedRoleUser.Arn`: `arn:<partition>:sts::<account>:assumed-role/<role>/<session>`. */
  readonly assumedRoleArn: string;
  /** The account of the assumed session (checked to be the role's). */
  readonly account: string;
  /** The session name in the assumed-role ARN. */
  readonly sessionName: string;
}

/** How the STS client calls AssumeRole. */
export interface AssumeRoleOptions {
  /**
   * The credentials AssumeRole is signed with.
   * @default the default credential chain (in Lambda: the execution role)
   */
  readonly masterCredentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/** Assumes one {@link RoleToAssume}. The STS client is created on first use. */
export class RoleAssumer {
  #sts?: STSClient;
  readonly #role: RoleToAssume;
  readonly #options: AssumeRoleOptions;

  constructor(role: RoleToAssume, options: AssumeRoleOptions = {}) {
    this.#role = role;
    this.#options = options;
  }

  /** Calls AssumeRole and checks the identity; every failure is a `BedrockHubError`. */
  public async assume(): Promise<AssumedRoleCredentials> {
    const role = this.#role;
    let output;
    try {
      output = await this.#client().send(new AssumeRoleCommand({
        RoleArn: role.roleArn,
        RoleSessionName: role.sessionName,
        DurationSeconds: role.durationSeconds,
        ExternalId: role.externalId,
        Tags: role.tags?.map((tag) => ({ Key: tag.Key, Value: tag.Value })),
        SourceIdentity: role.sourceIdentity,
      }));
    } catch (error) {
      throw explainAssumeRoleError(error, role);
    }

    const credentials = output.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken || !credentials.Expiration) {
      throw new BedrockHubError('sts', `AssumeRole on ${role.roleArn} answered without complete credentials.`,
        'The STS endpoint is not behaving like STS: check AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL, or retry.');
    }
    const assumed = checkAssumedIdentity(output.AssumedRoleUser?.Arn, role);
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: new Date(credentials.Expiration),
      ...assumed,
    };
  }

  /** Closes the STS client's connections. */
  public destroy(): void {
    this.#sts?.destroy();
    this.#sts = undefined;
  }

  #client(): STSClient {
    this.#sts ??= new STSClient(stsClientConfig(this.#role, this.#options));
    return this.#sts;
  }
}

/**
 * The STS client's configuration: regional, explicit about its region and credentials, and quick
 * to give up when STS cannot be reached.
 */
export function stsClientConfig(role: RoleToAssume, options: AssumeRoleOptions = {}): STSClientConfig {
  return {
    region: role.stsRegion,
    // Always the regional endpoint (the SDK's default too; stated so no setting can change it).
    useGlobalEndpoint: false,
    // Unset: the SDK resolves AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL from process.env itself.
    endpoint: role.stsEndpoint,
    // Unset: the default chain, i.e. the function's own credentials. Never the hub's.
    credentials: options.masterCredentials,
    maxAttempts: STS_MAX_ATTEMPTS,
    requestHandler: {
      connectionTimeout: STS_CONNECTION_TIMEOUT_MS,
      requestTimeout: STS_REQUEST_TIMEOUT_MS,
      // Newer handlers only warn on requestTimeout unless told to throw; older ones always throw.
      throwOnRequestTimeout: true,
    },
    customUserAgent: 'bedrock-hub-access',
  };
}

/**
 * The free identity check: the account in `AssumedRoleUser.Arn` must be the role's account.
 * Anything else means the answer did not come from the role that was asked for.
 */
export function checkAssumedIdentity(
  assumedRoleArn: string | undefined,
  role: Pick<RoleToAssume, 'roleArn' | 'account'>,
): Pick<AssumedRoleCredentials, 'assumedRoleArn' | 'account' | 'sessionName'> {
  const match = /^arn:[\w-]+:sts::(\d{12}):assumed-role\/[^/]+\/(.+)$/.exec(assumedRoleArn ?? '');
  const hint = 'The shim does not sign with these credentials. Check that AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL (if set) point at ' +
    'the real STS of this partition, and that no proxy rewrites STS responses.';
  if (!match) {
    throw new BedrockHubError('identity-mismatch',
      `AssumeRole on ${role.roleArn} returned the AssumedRoleUser.Arn '${assumedRoleArn ?? ''}', which is not an assumed-role ARN.`, hint);
  }
  const [, account, sessionName] = match;
  if (account !== role.account) {
    throw new BedrockHubError('identity-mismatch',
      `AssumeRole on ${role.roleArn} returned a session in account ${account} (${assumedRoleArn}), not in the role's account ${role.account}.`,
      hint);
  }
  return { assumedRoleArn: assumedRoleArn as string, account, sessionName };
}
