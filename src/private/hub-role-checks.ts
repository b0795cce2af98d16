// The checks of BedrockHubRole's props: who may assume it, session attributes, name, path and
// session duration. Each throws a message naming the property and the fix; the construct adds its
// path. Not part of the jsii surface.
import { Duration, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import {
  ACCOUNT_ID_PATTERN,
  MAX_SESSION_DURATION_LIMITS,
  ORGANIZATION_ID_PATTERN,
  PARTITIONS,
  SESSION_TAG_LIMITS,
  describeRoleNameProblem,
  describeRolePathProblem,
  describeSourceIdentityPatternProblem,
  describeTagKeyProblem,
  findRoleArnFault,
} from '../contract';
import { partitionMismatch } from './partition';
import { warn } from './warnings';

/** The props these checks read (a subset of `BedrockHubRoleProps`). */
export interface TrustProps {
  readonly allowSessionTags?: boolean;
  readonly allowedSessionTagKeys?: string[];
  readonly requiredSessionTagKeys?: string[];
  readonly allowSourceIdentity?: boolean;
  readonly sourceIdentityPattern?: string;
}

export function checkAccounts(accounts: string[]): string[] {
  accounts.forEach((account, i) => {
    if (Token.isUnresolved(account)) return;
    if (!ACCOUNT_ID_PATTERN.test(account)) {
      throw new Error(`trustedAccounts[${i}] '${account}' is not a 12-digit AWS account id: give the workload account id with all 12 digits (leading zeros included), e.g. '011122223333'.`);
    }
  });
  return [...new Set(accounts)];
}

export function checkOrganizationId(organizationId: string | undefined): string | undefined {
  if (organizationId === undefined || Token.isUnresolved(organizationId)) return organizationId;
  if (!ORGANIZATION_ID_PATTERN.test(organizationId)) {
    throw new Error(`trustedOrganizationId '${organizationId}' is not an AWS Organizations id: it is 'o-' followed by 10 to 32 lowercase letters or digits (e.g. 'o-a1b2c3d4e5'); the organization's root id ('r-…') and account ids do not work here.`);
  }
  return organizationId;
}

export function checkPrincipalPatterns(patterns: string[], trustedAccounts: string[], hubPartition: string): string[] {
  const example = 'arn:aws:iam::111122223333:role/MyWorkloadStack-*';
  patterns.forEach((pattern, i) => {
    const label = `trustedPrincipalArnPatterns[${i}]`;
    if (Token.isUnresolved(pattern)) return;
    const fault = findRoleArnFault(pattern, { pattern: true });
    const shown = `${label} '${pattern}'`;
    if (fault?.kind === 'whitespace') {
      throw new Error(`${label} contains whitespace (at character ${fault.at + 1}); an ARN pattern has none. Give the role ARN pattern alone, e.g. '${example}'.`);
    }
    if (fault?.kind === 'not-arn') throw new Error(`${shown} is not an ARN pattern: give a role ARN pattern such as '${example}'.`);
    if (fault?.kind === 'partition') throw new Error(`${shown} has the unknown partition '${fault.partition}': use one of ${PARTITIONS.join(', ')}.`);
    const [, partition, , , account] = pattern.split(':');
    const mismatch = partitionMismatch(partition, hubPartition, 'the hub role is in');
    if (mismatch) {
      throw new Error(`${shown} can never match: it ${mismatch}, and roles cannot be assumed across partitions. Use arn:${hubPartition}:iam::….`);
    }
    switch (fault?.kind) {
      case 'assumed-role':
        throw new Error(`${shown} is an assumed-role session ARN; aws:PrincipalArn of a role session is the role's own ARN. Use arn:${fault.partition}:iam::${fault.account}:role/${fault.roleName}.`);
      case 'service':
        throw new Error(`${shown} is not an IAM role ARN pattern (its service is '${fault.service}'): give a role ARN pattern such as '${example}'.`);
      case 'region':
        throw new Error(`${shown} names a region ('${fault.region}'); IAM ARNs have none: '${example}'.`);
      case 'account':
        throw new Error(`${shown} has the account '${fault.account}', which is neither 12 digits nor '*': give the workload account id, e.g. '${example}'.`);
      case 'not-role':
        throw new Error(`${shown} is not a role ARN pattern (the resource must start with 'role/'; users, groups and account roots cannot run functions): e.g. '${example}'.`);
      case 'role-name':
        throw new Error(`${shown} has no usable role name after 'role/': give a name or a prefix with '*', e.g. '${example}'.`);
      default:
        break;
    }
    if (account !== '*' && trustedAccounts.length > 0 && !trustedAccounts.some((trusted) => Token.isUnresolved(trusted)) && !trustedAccounts.includes(account)) {
      throw new Error(`${shown} can never match: its account ${account} is not in trustedAccounts (${trustedAccounts.join(', ')}). Add ${account} to trustedAccounts, or fix the account in the pattern.`);
    }
  });
  return [...new Set(patterns)];
}

function checkTagKeys(prop: string, keys: string[] | undefined): string[] | undefined {
  if (keys === undefined) return undefined;
  const seen = new Map<string, number>();
  keys.forEach((key, i) => {
    if (Token.isUnresolved(key)) {
      throw new Error(`${prop}[${i}] is a token; the workload side is checked against these keys at synth time, so give them literally (e.g. 'team').`);
    }
    const problem = describeTagKeyProblem(key);
    if (problem) throw new Error(`${prop}[${i}]: ${problem} Use a key such as 'team' or 'lambda-function'.`);
    const earlier = seen.get(key.toLowerCase());
    if (earlier !== undefined) {
      throw new Error(`${prop}[${i}] '${key}' repeats ${prop}[${earlier}] '${keys[earlier]}'; STS treats tag keys case-insensitively. List each key once.`);
    }
    seen.set(key.toLowerCase(), i);
  });
  return [...keys];
}

export function checkSessionTagOptions(props: TrustProps): { allowed: boolean; allowedKeys?: string[]; requiredKeys: string[] } {
  const allowedKeys = checkTagKeys('allowedSessionTagKeys', props.allowedSessionTagKeys);
  const requiredKeys = checkTagKeys('requiredSessionTagKeys', props.requiredSessionTagKeys) ?? [];
  if (props.allowSessionTags === false && (allowedKeys !== undefined || requiredKeys.length > 0)) {
    throw new Error(`allowSessionTags is false, but ${allowedKeys !== undefined ? 'allowedSessionTagKeys' : 'requiredSessionTagKeys'} is given. Remove allowSessionTags (the keys imply it), or remove the keys to build a role that refuses session tags.`);
  }
  if (allowedKeys !== undefined) {
    if (allowedKeys.length === 0) {
      throw new Error('allowedSessionTagKeys is empty, which would allow session tags but no key. List the keys callers may pass (e.g. [\'team\', \'lambda-function\']), or leave it out to allow any key.');
    }
    if (allowedKeys.length > SESSION_TAG_LIMITS.maxTags) {
      throw new Error(`allowedSessionTagKeys has ${allowedKeys.length} keys; a session carries at most ${SESSION_TAG_LIMITS.maxTags} tags. List only the keys callers pass.`);
    }
    const notAllowed = requiredKeys.filter((key) => !allowedKeys.includes(key));
    if (notAllowed.length) {
      throw new Error(`requiredSessionTagKeys ${notAllowed.map((k) => `'${k}'`).join(', ')} ${notAllowed.length === 1 ? 'is' : 'are'} not in allowedSessionTagKeys, so no session could satisfy both. Add ${notAllowed.length === 1 ? 'it' : 'them'} to allowedSessionTagKeys (keys compare case-sensitively).`);
    }
  }
  return { allowed: props.allowSessionTags ?? (allowedKeys !== undefined || requiredKeys.length > 0), allowedKeys, requiredKeys };
}

export function checkSourceIdentityOptions(props: TrustProps): { allowed: boolean; pattern?: string } {
  const pattern = props.sourceIdentityPattern;
  if (pattern !== undefined) {
    if (props.allowSourceIdentity === false) {
      throw new Error('allowSourceIdentity is false, but sourceIdentityPattern is given. Remove allowSourceIdentity (the pattern implies it), or remove sourceIdentityPattern to build a role that refuses source identities.');
    }
    if (Token.isUnresolved(pattern)) {
      throw new Error('sourceIdentityPattern is a token; the workload side is checked against it at synth time, so give it literally (e.g. \'orders-*\').');
    }
    const problem = describeSourceIdentityPatternProblem(pattern);
    if (problem) throw new Error(`sourceIdentityPattern '${pattern}' ${problem}`);
  }
  return { allowed: props.allowSourceIdentity ?? pattern !== undefined, pattern };
}

export function checkMaxSessionDuration(scope: IConstruct, duration: Duration): void {
  const seconds = duration.toSeconds({ integral: false });
  if (Token.isUnresolved(seconds)) return;
  const { min, max } = MAX_SESSION_DURATION_LIMITS;
  if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
    throw new Error(`maxSessionDuration is ${duration.toHumanString()}; IAM allows a whole number of seconds from 1 hour to 12 hours. Use Duration.hours(1) (the default: a Lambda function cannot use more).`);
  }
  if (seconds > min) {
    warn(scope, 'SESSION_LONGER_THAN_ROLE_CHAINING_CAP',
      `maxSessionDuration is ${duration.toHumanString()}, but a Lambda function assumes this role from its own role session (role chaining), which STS caps at 1 hour whatever the role allows. ` +
      'More only helps callers that are not role sessions; leave it at the default Duration.hours(1) otherwise.');
  }
}

export function checkRoleName(roleName: string): void {
  if (Token.isUnresolved(roleName)) {
    throw new Error('roleName is a token; the role must have a fixed name so that workload stacks can name it before it exists. Give a literal name, e.g. \'BedrockHubRole\'.');
  }
  const problem = describeRoleNameProblem(roleName);
  if (problem) throw new Error(`roleName '${roleName}' ${problem}. Choose another name, e.g. 'BedrockHubRole'.`);
}

export function checkRolePath(rolePath: string): void {
  if (Token.isUnresolved(rolePath)) {
    throw new Error('path is a token; the role ARN is formed from it at synth time, so give a literal path, e.g. \'/bedrock/\'.');
  }
  const problem = describeRolePathProblem(rolePath);
  if (problem) throw new Error(`path '${rolePath}' ${problem}, e.g. '/bedrock/'.`);
}

/** Role names claimed per app and account: two hub roles with one name in one account cannot both deploy. */
const CLAIMED_ROLE_NAMES = new WeakMap<IConstruct, Map<string, string>>();

export function claimRoleName(scope: IConstruct, roleName: string, account: string): void {
  let claimed = CLAIMED_ROLE_NAMES.get(scope.node.root);
  if (!claimed) {
    claimed = new Map();
    CLAIMED_ROLE_NAMES.set(scope.node.root, claimed);
  }
  // With an unknown account, only roles of the same stack are known to share one.
  const accountKey = Token.isUnresolved(account) ? `stack:${Stack.of(scope).node.path}` : account;
  const key = `${accountKey}/${roleName.toLowerCase()}`;
  const other = claimed.get(key);
  if (other !== undefined) {
    throw new Error(`roleName '${roleName}' is already used by the BedrockHubRole at '${other}' in the same account; IAM role names are unique per account (case-insensitive). Give this one another roleName, e.g. '${roleName}2'.`);
  }
  claimed.set(key, scope.node.path);
}
