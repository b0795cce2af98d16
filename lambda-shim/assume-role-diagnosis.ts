/**
 * The AssumeRole diagnosis: which layer an error from `sts:AssumeRole` blames, and what to do.
 *
 * A pure function of the error and the role that was assumed, so it can be checked against a table
 * of STS's answers: the caller's policies (identity-based policy, permissions boundary, SCP), the
 * hub role's trust policy and its `sts:ExternalId` condition, session tags and source identity,
 * session duration, throttling, an unreachable STS, the function's own credentials.
 *
 * The role's ExternalId is a secret: only whether one was sent is read here, never its value.
 */

import type { RoleToAssume } from './config';
import { BedrockHubError } from './errors';
import { errorCode, errorMessage, isNetworkError } from './sdk-errors';
import { ENV } from '../src/contract';

const STS_ACCESS_DENIED_CODES = new Set(['AccessDenied', 'AccessDeniedException']);
const STS_THROTTLING_CODES = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException']);
const LOCAL_CREDENTIAL_CODES = new Set([
  'InvalidClientTokenId', 'SignatureDoesNotMatch', 'IncompleteSignature', 'MissingAuthenticationToken',
  'UnrecognizedClientException', 'ExpiredToken', 'ExpiredTokenException', 'InvalidAccessKeyId',
]);

/** `User: <arn> is not authorized …`: the caller STS names, or `undefined`. */
function callerArnOf(message: string): string | undefined {
  return /User: (arn:\S+?) is not authorized/.exec(message)?.[1];
}

/** Turns an error from `sts:AssumeRole` into a {@link BedrockHubError} that names the layer. */
export function explainAssumeRoleError(error: unknown, role: RoleToAssume): BedrockHubError {
  if (error instanceof BedrockHubError) return error;
  const code = errorCode(error) ?? 'Error';
  const message = errorMessage(error);
  const said = message ? `: ${message}` : '';
  const endpoint = role.stsEndpoint ?? `the regional STS endpoint of ${role.stsRegion} (sts.${role.stsRegion}.amazonaws.com)`;

  if (isNetworkError(error)) {
    return new BedrockHubError('sts-unreachable',
      `Could not reach ${endpoint} to assume ${role.roleArn} (${code}${said}).`,
      `A function in a VPC needs an STS interface VPC endpoint (com.amazonaws.${role.stsRegion}.sts) with private DNS enabled, ` +
      'or a route to the internet through a NAT gateway; the endpoint\'s security group must allow HTTPS (443) from the function. ' +
      'If AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL is set, check that it points at a reachable STS endpoint.',
      error);
  }

  if (code === 'CredentialsProviderError') {
    return new BedrockHubError('local-credentials',
      `Could not load the function's own credentials to call AssumeRole on ${role.roleArn}${said}.`,
      'In Lambda these come from the execution role automatically; elsewhere, configure credentials for the default chain or pass `masterCredentials`.',
      error);
  }

  const attribution = attributionError(error, code, message, role);
  if (attribution) return attribution;

  if (STS_ACCESS_DENIED_CODES.has(code)) {
    return accessDeniedError(error, message, role);
  }

  if (STS_THROTTLING_CODES.has(code)) {
    return new BedrockHubError('sts-throttled',
      `STS throttled AssumeRole on ${role.roleArn} (${code}${said}).`,
      'The shim already makes one AssumeRole per hub session per process; many concurrent cold starts, or other callers in the ' +
      'same account and region, share the STS request quota. Retry later, reduce concurrent cold starts, or ask for a higher STS quota.',
      error);
  }

  if (code === 'ValidationError' && /DurationSeconds/i.test(message)) {
    const chaining = /role chaining/i.test(message);
    return new BedrockHubError('session-duration',
      `STS refused DurationSeconds=${role.durationSeconds} for ${role.roleArn}${said}.`,
      chaining
        ? `From Lambda, assuming the hub role is role chaining, which STS caps at one hour: set ${ENV.DURATION_SECONDS} to 3600 or less.`
        : `Set ${ENV.DURATION_SECONDS} to at most the hub role's MaxSessionDuration, or raise the role's MaxSessionDuration.`,
      error);
  }

  if (code === 'RegionDisabledException') {
    return new BedrockHubError('sts',
      `STS is not activated in ${role.stsRegion} for the calling account${said}.`,
      `Activate the STS endpoint for ${role.stsRegion} in the workload account (IAM > Account settings), or run in a region where it is active.`,
      error);
  }

  if (LOCAL_CREDENTIAL_CODES.has(code)) {
    return new BedrockHubError('local-credentials',
      `STS rejected the function's own credentials when assuming ${role.roleArn} (${code}${said}).`,
      'These are the credentials AssumeRole is signed with (the execution role in Lambda, or `masterCredentials`). ' +
      'Check that they are current and belong to the partition of the STS endpoint; in an opt-in region, check that the region is enabled for the account.',
      error);
  }

  return new BedrockHubError('sts',
    `AssumeRole on ${role.roleArn} failed in ${role.stsRegion} (${code}${said}).`,
    'If this persists, check the AWS Health Dashboard for STS in this region; the error\'s cause has the request id for AWS Support.',
    error);
}

/**
 * STS refused the session tags or source identity: AccessDenied naming sts:TagSession or
 * sts:SetSourceIdentity (either side may lack it), PackedPolicyTooLarge, or invalid tag values.
 */
function attributionError(error: unknown, code: string, message: string, role: RoleToAssume): BedrockHubError | undefined {
  const tagsSent = (role.tags?.length ?? 0) > 0;
  const sourceIdentitySent = role.sourceIdentity !== undefined;
  if (!tagsSent && !sourceIdentitySent) return undefined;
  const said = message ? ` STS said: ${message}` : '';
  const sent = [
    tagsSent ? `the session tags ${role.tags!.map((tag) => tag.Key).join(', ')} (from ${ENV.SESSION_TAGS} / ${ENV.FUNCTION_NAME_TAG_KEY})` : '',
    sourceIdentitySent ? `a SourceIdentity (from ${ENV.SOURCE_IDENTITY})` : '',
  ].filter(Boolean).join(' and ');
  const action = /sts:(TagSession|SetSourceIdentity)\b/.exec(message)?.[0];
  if (STS_ACCESS_DENIED_CODES.has(code) && action) {
    const caller = callerArnOf(message) ?? "the function's execution role";
    const side = /identity-based policy|permissions boundary|service control policy/i.test(message) ? ' STS blames the caller\'s side.'
      : /resource-based policy/i.test(message) ? ' STS blames the trust policy.' : '';
    return new BedrockHubError('attribution',
      `AssumeRole on ${role.roleArn} sent ${sent}, and ${caller} may not ${action} on it.${side}${said}`,
      `Allow ${action} on both sides: in the execution role's identity-based policy, on ${role.roleArn} next to sts:AssumeRole, ` +
      `AND in the trust policy of ${role.roleArn}, in the statement that allows sts:AssumeRole. Or stop sending them (unset the variables above).`,
      error);
  }
  if (/^PackedPolicyTooLarge/.test(code)) {
    return new BedrockHubError('attribution',
      `AssumeRole on ${role.roleArn} sent ${sent}, and STS found the packed session too large.${said}`,
      'Session tags share a packed size limit with session policies (STS reports the share used): send fewer tags, or shorter keys and values.',
      error);
  }
  if (/^(InvalidParameterValue|ValidationError)/.test(code) && /\btags?\b|source ?identity/i.test(message)) {
    return new BedrockHubError('attribution',
      `STS rejected ${sent} on AssumeRole on ${role.roleArn} (${code}).${said}`,
      `Fix ${tagsSent ? ENV.SESSION_TAGS : ENV.SOURCE_IDENTITY}: tag keys are unique regardless of case and may not override transitive tags ` +
      'of the calling session; a source identity, once set on a session, cannot be changed by role chaining.',
      error);
  }
  return undefined;
}

function accessDeniedError(error: unknown, message: string, role: RoleToAssume): BedrockHubError {
  const caller = callerArnOf(message) ?? "the function's execution role";
  const said = message ? ` STS said: ${message}` : '';
  const externalIdText = role.externalId !== undefined
    ? `the trust policy's sts:ExternalId condition must equal ${ENV.EXTERNAL_ID}`
    : `${ENV.EXTERNAL_ID} is not set, so no ExternalId was sent: if the trust policy has an sts:ExternalId condition, set it to the same value`;
  const callerSide =
    `the workload side: the execution role ${caller} needs an identity-based policy allowing sts:AssumeRole on exactly ${role.roleArn} ` +
    '(the BedrockHubAccess construct grants it); a permissions boundary or SCP in the workload account can also deny it. ' +
    `A common cause is a role ARN and ExternalId pasted together into one value: ${ENV.ROLE_ARN} must be the ARN alone, ` +
    `with the ExternalId in ${ENV.EXTERNAL_ID}`;
  const hubSide =
    `the hub side: the trust policy of ${role.roleArn} must allow ${caller} (or its account) as Principal for sts:AssumeRole, ` +
    `and ${externalIdText}`;

  if (/no identity-based policy allows|explicit deny in an identity-based policy|permissions boundary|service control policy/i.test(message)) {
    return new BedrockHubError('caller-policy',
      `${caller} may not call sts:AssumeRole on ${role.roleArn}.${said}`,
      `Fix ${callerSide}.`,
      error);
  }
  if (/no resource-based policy allows|explicit deny in a resource-based policy/i.test(message)) {
    return new BedrockHubError('trust-policy',
      `The trust policy of ${role.roleArn} does not let ${caller} assume it.${said}`,
      `Fix ${hubSide}.`,
      error);
  }
  const attribution = (role.tags?.length ?? 0) > 0 || role.sourceIdentity !== undefined
    ? ' Session tags or a source identity were sent: both sides must also allow sts:TagSession / sts:SetSourceIdentity.' : '';
  return new BedrockHubError('assume-role-denied',
    `AssumeRole on ${role.roleArn} was denied for ${caller}, and STS did not say by which policy.${said}`,
    `Check both sides. (1) ${callerSide.charAt(0).toUpperCase()}${callerSide.slice(1)}. (2) ${hubSide.charAt(0).toUpperCase()}${hubSide.slice(1)}.${attribution}`,
    error);
}
