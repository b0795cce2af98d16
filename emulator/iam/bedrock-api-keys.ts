/**
 * Long-term Amazon Bedrock API keys: what `AWS_BEARER_TOKEN_BEDROCK` holds. AWS creates an IAM
 * user for each key (named `BedrockAPIKey_…`) with the managed policy AmazonBedrockLimitedAccess,
 * and the key acts as that user: a call with it is a call in the user's account, whatever role the
 * function runs as (https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys.html).
 *
 * The emulator issues a key to an account (the workload account, in the tests): a request that
 * bypasses the hub with it is served, and shows up in CloudTrail as a call in that account with
 * `additionalEventData.callWithBearerToken`, never in the hub's.
 */
import { randomBytes } from 'crypto';
import type { IdentityStore, NamedPolicy } from './identities';
import type { BearerTokenRegistry } from '../server/auth';

/** Options of {@link issueBedrockApiKey}. */
export interface BedrockApiKeyOptions {
  /** The account the key (and its IAM user) belongs to. */
  readonly accountId: string;
  /** @default `BedrockAPIKey_<random>` */
  readonly userName?: string;
  /** @default Bedrock inference on any model, and `bedrock:CallWithBearerToken` */
  readonly policies?: readonly NamedPolicy[];
}

/** An issued key. */
export interface BedrockApiKey {
  /** The value for `AWS_BEARER_TOKEN_BEDROCK` (`ABSK…`). A secret: never log it. */
  readonly token: string;
  readonly accountId: string;
  readonly userName: string;
  readonly userArn: string;
}

/** The inference part of AmazonBedrockLimitedAccess, and the permission to call with a bearer token. */
const DEFAULT_POLICIES: readonly NamedPolicy[] = [{
  name: 'AmazonBedrockLimitedAccess',
  document: {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:CallWithBearerToken'], Resource: '*' },
      { Effect: 'Allow', Action: ['bedrock-mantle:CreateInference', 'bedrock-mantle:CallWithBearerToken'], Resource: '*' },
    ],
  },
}];

/** Creates the key's IAM user and registers the key with the emulator's bearer-token registry. */
export function issueBedrockApiKey(identities: IdentityStore, registry: BearerTokenRegistry, options: BedrockApiKeyOptions): BedrockApiKey {
  const suffix = randomBytes(4).toString('hex');
  const userName = options.userName ?? `BedrockAPIKey_${suffix}`;
  const user = identities.putUser(options.accountId, userName, options.policies ?? DEFAULT_POLICIES);
  const principal = identities.userPrincipal(user);
  const secret = randomBytes(30).toString('base64');
  const token = `ABSK${Buffer.from(`${userName}-at-${options.accountId}:${secret}`, 'utf8').toString('base64')}`;
  registry.register({ token, principal });
  return { token, accountId: options.accountId, userName, userArn: principal.arn };
}
