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

import { parseAccessDeniedMessage } from './access-denied-message';
import type { AccessDeniedMessage } from './access-denied-message';
import type { RoleToAssume } from './config';
import { organizationText, policyArnText } from './denying-policy';
import { BedrockHubError } from './errors';
import { errorCode, errorMessage, isNetworkError } from './sdk-errors';
import { ENV } from '../src/contract';

const STS_ACCESS_DENIED_CODES = new Set(['AccessDenied', 'AccessDeniedException']);
const STS_THROTTLING_CODES = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException']);
const LOCAL_CREDENTIAL_CODES = new Set([
  'InvalidClientTokenId', 'SignatureDoesNotMatch', 'IncompleteSignature', 'MissingAuthenticationToken',
  'UnrecognizedClientException', 'ExpiredToken', 'ExpiredTokenException', 'InvalidAccessKeyId',
]);

/**
 * The role ARN behind an assumed-role session ARN (`arn:aws:sts::<account>:assumed-role/<name>/<session>`
 * → `arn:aws:iam::<account>:role/<name>`), what a trust policy names as Principal; other ARNs unchanged.
 */
function principalRoleArn(sessionArn: string): string {
  const match = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(sessionArn);
  return match ? `arn:${match[1]}:iam::${match[2]}:role/${match[3]}` : sessionArn;
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

  const denial = STS_ACCESS_DENIED_CODES.has(code) ? parseAccessDeniedMessage(message) : undefined;
  const attribution = attributionError(error, code, message, role, denial);
  if (attribution) return attribution;

  if (STS_ACCESS_DENIED_CODES.has(code)) {
    return accessDeniedError(error, message, role, denial);
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
    const account = /account:?\s*(\d{12})/.exec(message)?.[1];
    const which = account ? `the workload account ${account}` : 'the workload account';
    return new BedrockHubError('sts',
      `STS is not activated in ${role.stsRegion} for ${which}${said}.`,
      `An administrator of ${which} can activate the STS endpoint of ${role.stsRegion} (IAM > Account settings > Security Token Service ` +
      'regional endpoints); or run the function in a region where it is active.',
      error);
  }

  if (code === 'SignatureDoesNotMatch' && /Signature (expired|not yet current)/i.test(message)) {
    return new BedrockHubError('local-credentials',
      `STS refused the AssumeRole request's signature on ${role.roleArn} as signed at the wrong time (${code}${said}).`,
      'A signature is valid for 15 min around the time STS receives it: the clock of the process that signed is off. In Lambda the clock ' +
      'is synchronized; elsewhere, synchronize the machine\'s clock (NTP).',
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
 * sts:SetSourceIdentity (either side may lack it, and the function's own session may carry
 * transitive tags or a source identity that role chaining passes on even when the shim sends none),
 * PackedPolicyTooLarge, or invalid tag values.
 */
function attributionError(
  error: unknown, code: string, message: string, role: RoleToAssume, denial: AccessDeniedMessage | undefined,
): BedrockHubError | undefined {
  const tagsSent = (role.tags?.length ?? 0) > 0;
  const sourceIdentitySent = role.sourceIdentity !== undefined;
  const said = message ? ` STS said: ${message}` : '';
  const sent = [
    tagsSent ? `the session tags ${role.tags!.map((tag) => tag.Key).join(', ')} (from ${ENV.SESSION_TAGS} / ${ENV.FUNCTION_NAME_TAG_KEY})` : '',
    sourceIdentitySent ? `a SourceIdentity (from ${ENV.SOURCE_IDENTITY})` : '',
  ].filter(Boolean).join(' and ');
  const action = denial && /^sts:(TagSession|SetSourceIdentity)$/i.test(denial.action) ? denial.action : undefined;
  if (action) {
    const caller = denial!.principalArn ?? "the function's execution role";
    const bothSides = `Allow ${action} on both sides: in the execution role's identity-based policy, on ${role.roleArn} next to ` +
      `sts:AssumeRole, AND in the trust policy of ${role.roleArn}, in the statement that allows sts:AssumeRole to ${principalRoleArn(caller)}`;
    const blamed = denial!.policyType === undefined ? ''
      : /^(identity-based|permissions-boundary|service-control|session|vpc-endpoint)$/.test(denial!.policyType)
        ? ' STS blames the caller\'s side.' : ' STS blames the trust policy.';
    const tagAction = /TagSession/i.test(action);
    const shimSent = tagAction ? tagsSent : sourceIdentitySent;
    if (shimSent) {
      return new BedrockHubError('attribution',
        `AssumeRole on ${role.roleArn} sent ${sent}, and ${caller} may not ${action} on it.${blamed}${said}`,
        `${bothSides}. Or stop sending them (unset ${tagAction ? ENV.SESSION_TAGS : ENV.SOURCE_IDENTITY}).`,
        error);
    }
    return new BedrockHubError('attribution',
      `STS refused ${action} on ${role.roleArn} for ${caller}, though the shim sent no ${tagAction ? 'session tags' : 'source identity'}.${blamed}${said}`,
      (tagAction
        ? 'The function\'s own session carries transitive session tags (set where its role was assumed upstream), and role chaining passes ' +
          'transitive tags on to the hub session, which needs sts:TagSession.'
        : 'The function\'s own session carries a source identity (set where its role was assumed upstream); a source identity is sticky ' +
          'through role chaining, so STS sets it on the hub session too, which needs sts:SetSourceIdentity.') +
      ` ${bothSides}.`,
      error);
  }
  if (!tagsSent && !sourceIdentitySent) return undefined;
  if (/^PackedPolicyTooLarge/.test(code)) {
    const share = /(\d+%)/.exec(message)?.[1];
    return new BedrockHubError('attribution',
      `AssumeRole on ${role.roleArn} sent ${sent}, and STS found the packed session too large${share ? ` (${share} of the allowed size)` : ''}.${said}`,
      `Session tags share a packed size limit with session policies: send fewer tags, or shorter keys and values, in ${ENV.SESSION_TAGS}.`,
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

/** What the shim knows about the trust policy's ExternalId condition: whether it sent one. */
function externalIdText(role: RoleToAssume): string {
  return role.externalId !== undefined
    ? `an ExternalId was sent (${ENV.EXTERNAL_ID}): the trust policy's sts:ExternalId condition must equal that value`
    : `no ExternalId was sent (${ENV.EXTERNAL_ID} is not set): if the trust policy has an sts:ExternalId condition, set ${ENV.EXTERNAL_ID} to its value`;
}

function accessDeniedError(error: unknown, message: string, role: RoleToAssume, denial: AccessDeniedMessage | undefined): BedrockHubError {
  const callerSession = denial?.principalArn;
  const caller = callerSession ?? "the function's execution role";
  const callerRole = callerSession ? principalRoleArn(callerSession) : "the function's execution role";
  const callerAccount = denial?.principalAccount;
  const workload = callerAccount ? `the workload account ${callerAccount}` : 'the workload account';
  const said = message ? ` STS said: ${message}` : '';
  const type = denial?.policyType;
  const explicit = denial?.denyKind === 'explicit';

  switch (type) {
    case 'identity-based':
    case 'permissions-boundary':
    case 'session': {
      const what = type === 'identity-based' ? 'identity-based policy' : type === 'permissions-boundary' ? 'permissions boundary' : 'session policy';
      const lead = explicit
        ? `An explicit deny in the ${what}${policyArnText(denial!)} of ${callerRole} (${workload}) blocks sts:AssumeRole on ${role.roleArn}.`
        : `The ${what} of ${callerRole} (${workload}) does not allow sts:AssumeRole on ${role.roleArn}.`;
      const fix = explicit
        ? `An allow cannot override it: change the denying statement${denial!.policyArn ? ` of ${denial!.policyArn}` : ''} in ${workload}.`
        : type === 'identity-based'
          ? `Give ${callerRole} an identity-based policy allowing sts:AssumeRole on exactly ${role.roleArn} (the BedrockHubAccess construct grants it). ` +
            `A common cause is a role ARN and ExternalId pasted together into one value: ${ENV.ROLE_ARN} must be the ARN alone.`
          : type === 'permissions-boundary'
            ? `Add sts:AssumeRole on ${role.roleArn} to the permissions boundary of ${callerRole} in ${workload}; the role's own policies cannot go past it.`
            : 'The shim passes no session policy; the function\'s own session was created with one (Policy / PolicyArns): add sts:AssumeRole on the hub role to it.';
      return new BedrockHubError('caller-policy', `${lead}${said}`, fix, error);
    }
    case 'service-control': {
      const org = organizationText(denial!, callerAccount ?? 'the workload account');
      return new BedrockHubError('caller-policy',
        `${explicit ? `An explicit deny in a service control policy${policyArnText(denial!)}` : 'No service control policy'} of ${org} ` +
        `${explicit ? 'blocks' : 'allows'} sts:AssumeRole on ${role.roleArn} by ${callerRole}.${said}`,
        explicit
          ? `No policy on the execution role can override it: the organization's administrators must exempt ${callerRole} or the hub role ` +
            `${role.roleArn} from the service control policy (e.g. with a condition on aws:PrincipalArn or the resource).`
          : `The organization's administrators must add sts:AssumeRole to the service control policies that apply to ${workload}.`,
        error);
    }
    case 'resource-control': {
      const org = organizationText(denial!, role.account);
      return new BedrockHubError('trust-policy',
        `${explicit ? `An explicit deny in a resource control policy${policyArnText(denial!)}` : 'No resource control policy'} of ${org} ` +
        `${explicit ? 'blocks' : 'allows'} sts:AssumeRole on ${role.roleArn} (hub account ${role.account}) by ${callerRole}.${said}`,
        'A resource control policy guards the hub role from the hub account\'s organization, whatever its trust policy says: its administrators ' +
        `must let ${callerAccount ? `account ${callerAccount}` : 'the workload account'} assume ${role.roleArn} (e.g. by adding it to the RCP's ` +
        'allowed accounts or organizations).',
        error);
    }
    case 'vpc-endpoint': {
      const endpoint = `com.amazonaws.${role.stsRegion}.sts`;
      return new BedrockHubError('vpc-endpoint-policy',
        `The VPC endpoint policy of the STS interface endpoint ${endpoint} the function calls ${explicit ? 'explicitly denies' : 'does not allow'} ` +
        `sts:AssumeRole on ${role.roleArn}.${said}`,
        `The endpoint belongs to the function's VPC (${workload}): edit the VPC endpoint policy of ${endpoint} so it allows sts:AssumeRole ` +
        `on ${role.roleArn} (a role of another account) for ${callerRole}.`,
        error);
    }
    case 'role-trust':
    case 'resource-based': {
      const lead = explicit
        ? `An explicit deny in the trust policy of ${role.roleArn} (${role.kind} account ${role.account}) blocks ${caller}.`
        : `The trust policy of ${role.roleArn} (${role.kind} account ${role.account}) does not let ${caller} assume it.`;
      const fix = explicit
        ? `Change the trust policy's Deny statement in the ${role.kind} account ${role.account} (a condition such as aws:SourceAccount or ` +
          'aws:PrincipalOrgID that the caller fails); an Allow cannot override it.'
        : `In the ${role.kind} account ${role.account}, the trust policy of ${role.roleArn} must allow ${callerRole} (or account ${callerAccount ?? 'of the workload'}) ` +
          `as Principal for sts:AssumeRole, and ${externalIdText(role)}.`;
      return new BedrockHubError('trust-policy', `${lead}${said}`, fix, error);
    }
    default:
      return bareDenial(error, said, role, caller, callerRole, callerAccount);
  }
}

/**
 * The bare line STS answers a denied cross-account AssumeRole with: no reason clause. The hint
 * orders the causes by what the shim knows (whether an ExternalId was sent, the caller's account,
 * whether tags or a source identity were sent).
 */
function bareDenial(
  error: unknown, said: string, role: RoleToAssume, caller: string, callerRole: string, callerAccount: string | undefined,
): BedrockHubError {
  const sameAccount = callerAccount === role.account;
  const accounts = callerAccount
    ? sameAccount
      ? ` The caller is in the ${role.kind} account ${role.account} itself: the trust policy must name ${callerRole}, or the account with an identity-based allow on the caller.`
      : ` The caller is in account ${callerAccount}, the role in ${role.account}: both sides must allow it.`
    : '';
  const attribution = (role.tags?.length ?? 0) > 0 || role.sourceIdentity !== undefined
    ? ' Session tags or a source identity were sent: the trust policy\'s statement must also allow sts:TagSession / sts:SetSourceIdentity.'
    : '';
  return new BedrockHubError('assume-role-denied',
    `AssumeRole on ${role.roleArn} was denied for ${caller}, and STS did not say by which policy (its usual answer across accounts).${said}`,
    `What the shim knows: ${externalIdText(role)}.${accounts} Check, in order: (1) the role trust policy of ${role.roleArn} in the ${role.kind} account ` +
    `${role.account}: it must allow ${callerRole}${callerAccount ? ` or account ${callerAccount}` : ''} as Principal for sts:AssumeRole, with the ` +
    `sts:ExternalId condition above.${attribution} (2) The role exists: STS answers the same when it does not exist, so check ${ENV.ROLE_ARN} ` +
    '(the ARN alone, not pasted together with the ExternalId). (3) The execution role\'s identity-based policy allows sts:AssumeRole on exactly ' +
    `${role.roleArn} (the BedrockHubAccess construct grants it), and no permissions boundary or service control policy of the workload account denies it.`,
    error);
}
