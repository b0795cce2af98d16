/**
 * IAM role names, paths and ARNs, and the one decision ladder that says what is wrong with a value
 * that should be a role ARN.
 */
import { ACCOUNT_ID_PATTERN, PARTITIONS, isPartition } from './account';
import { describeBadCharacter } from './values';

/**
 * Characters of an IAM role name, and its length: 1–64 of `[\w+=,.@-]`.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (`RoleName`: `[\w+=,.@-]+`, 1–64)
 */
export const ROLE_NAME_LIMITS = { min: 1, max: 64 } as const;
const ROLE_NAME_SOURCE = `[\\w+=,.@-]{${ROLE_NAME_LIMITS.min},${ROLE_NAME_LIMITS.max}}`;
export const ROLE_NAME_PATTERN = new RegExp(`^${ROLE_NAME_SOURCE}$`);

/**
 * An IAM role path: `/`, or `/`-separated non-empty segments of printable ASCII (`!` to `~`) that
 * start and end with `/`, at most 512 characters.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (`Path`: `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`, 1–512)
 */
export const ROLE_PATH_MAX = 512;
/** One path segment and its '/': printable ASCII except '/' (the common subset of JavaScript and Java regular expressions). */
const ROLE_PATH_SEGMENT_SOURCE = '[!-.0-~]+/';
export const ROLE_PATH_PATTERN = new RegExp(`^/(?:${ROLE_PATH_SEGMENT_SOURCE})*$`);

/**
 * A role ARN: partition, 12-digit account, optional path, and a role name. Written in the common
 * subset of JavaScript and Java regular expressions, so the same text is a CloudFormation
 * `AllowedPattern`.
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (`RoleArn`)
 */
export const ROLE_ARN_PATTERN_SOURCE =
  `arn:(${PARTITIONS.join('|')}):iam::[0-9]{12}:role/(${ROLE_PATH_SEGMENT_SOURCE})*${ROLE_NAME_SOURCE}`;

/** Compiled, anchored form of {@link ROLE_ARN_PATTERN_SOURCE}. */
export const ROLE_ARN_PATTERN = new RegExp(`^${ROLE_ARN_PATTERN_SOURCE}$`);

/** The parts of a valid role ARN. */
export interface RoleArnParts {
  readonly partition: string;
  readonly account: string;
  /** `/` when the role has no path, else `/a/b/`. */
  readonly path: string;
  readonly roleName: string;
}

/** Splits a role ARN that matches {@link ROLE_ARN_PATTERN}; `undefined` for anything else. */
export function parseRoleArn(arn: string): RoleArnParts | undefined {
  if (!ROLE_ARN_PATTERN.test(arn)) return undefined;
  const [, partition, , , account, resource] = arn.split(':');
  const rolePath = resource.slice('role/'.length);
  const slash = rolePath.lastIndexOf('/');
  return {
    partition,
    account,
    path: slash < 0 ? '/' : `/${rolePath.slice(0, slash + 1)}`,
    roleName: rolePath.slice(slash + 1),
  };
}

/** Why `roleName` is not an IAM role name (reads on from the value); `undefined` when it is one. */
export function describeRoleNameProblem(roleName: string): string | undefined {
  if (ROLE_NAME_PATTERN.test(roleName)) return undefined;
  const { min, max } = ROLE_NAME_LIMITS;
  return roleName.length < min || roleName.length > max
    ? `has ${roleName.length} characters; IAM allows ${min} to ${max}`
    : `contains ${describeBadCharacter(roleName, /[\w+=,.@-]/)}; IAM allows letters, digits and + = , . @ _ -`;
}

/** Why `path` is not an IAM role path; `undefined` when it is one. */
export function describeRolePathProblem(path: string): string | undefined {
  if (path.length <= ROLE_PATH_MAX && ROLE_PATH_PATTERN.test(path)) return undefined;
  return `is not an IAM role path: it must be '/' or start and end with '/', with non-empty segments of printable ASCII and no spaces (at most ${ROLE_PATH_MAX} characters)`;
}

const PASTED_MESSAGE = 'It looks like the role ARN and the ExternalId were pasted into one value: pass the ARN alone, and the ExternalId in its own setting.';
const SHAPE = 'a role ARN looks like arn:aws:iam::111122223333:role/BedrockHubRole';

/** What is wrong with a value that should be a role ARN (or a role ARN pattern), in ladder order. */
export type RoleArnFault =
  | { readonly kind: 'whitespace'; readonly at: number }
  | { readonly kind: 'not-arn' }
  | { readonly kind: 'partition'; readonly partition: string }
  | { readonly kind: 'assumed-role'; readonly partition: string; readonly account: string; readonly roleName: string }
  | { readonly kind: 'service'; readonly service: string }
  | { readonly kind: 'region'; readonly region: string }
  | { readonly kind: 'account'; readonly account: string }
  | { readonly kind: 'not-role'; readonly resource: 'user' | 'group' | 'account root' | 'other' }
  | { readonly kind: 'role-name'; readonly problem: 'missing' | 'too-long' | 'characters'; readonly length: number };

/**
 * The one decision ladder for role ARNs: the first fault of `value`, or `undefined` when it is a
 * role ARN. With `pattern`, `value` is an `ArnLike` pattern (`aws:PrincipalArn`): the account may
 * be `*`, and the path and name may hold `*` and `?`.
 */
export function findRoleArnFault(value: string, options: { readonly pattern?: boolean } = {}): RoleArnFault | undefined {
  const pattern = options.pattern ?? false;
  if (!pattern && ROLE_ARN_PATTERN.test(value)) return undefined;
  const ws = value.search(/\s/);
  if (ws >= 0) return { kind: 'whitespace', at: ws };
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return { kind: 'not-arn' };
  const [, partition, service, region, account] = parts;
  const resource = parts.slice(5).join(':');
  if (!isPartition(partition)) return { kind: 'partition', partition };
  if (service === 'sts' && resource.startsWith('assumed-role/')) {
    return { kind: 'assumed-role', partition, account, roleName: resource.split('/')[1] ?? 'RoleName' };
  }
  if (service !== 'iam') return { kind: 'service', service };
  if (region !== '') return { kind: 'region', region };
  if (!ACCOUNT_ID_PATTERN.test(account) && !(pattern && account === '*')) return { kind: 'account', account };
  if (!resource.startsWith('role/')) {
    const type = resource === 'root' ? 'account root' : resource.split('/')[0];
    return { kind: 'not-role', resource: type === 'user' || type === 'group' || type === 'account root' ? type : 'other' };
  }
  if (pattern) {
    const rolePart = resource.slice('role/'.length);
    return rolePart === '' || !/^[!-~]+$/.test(rolePart) || rolePart.endsWith('/')
      ? { kind: 'role-name', problem: 'missing', length: 0 }
      : undefined;
  }
  const name = resource.split('/').pop() ?? '';
  if (name.length === 0) return { kind: 'role-name', problem: 'missing', length: 0 };
  if (name.length > ROLE_NAME_LIMITS.max) return { kind: 'role-name', problem: 'too-long', length: name.length };
  return { kind: 'role-name', problem: 'characters', length: name.length };
}

/**
 * Why `value` is not a usable role ARN, with the fix; `undefined` when it is one. Constructs,
 * pairing checks and the runtime shim all ask it.
 *
 * The text never repeats what follows a whitespace character: that is where a pasted ExternalId
 * (a secret) would be.
 */
export function describeRoleArnProblem(value: string): string | undefined {
  // "…:role/Hub,ExternalId=s3cr3t" even matches the pattern (',' and '=' are allowed in role
  // names): name the mistake, and never repeat the value, which holds the secret.
  const pastedAt = value.search(/[\s,;|]+external[\s_-]?id\s*[:=]/i);
  if (pastedAt >= 0) {
    return `contains an ExternalId after the role name (at character ${pastedAt + 1}), so it is not the role ARN alone. ${PASTED_MESSAGE}`;
  }
  const fault = findRoleArnFault(value);
  if (fault === undefined) return undefined;
  switch (fault.kind) {
    case 'whitespace': {
      const pasted = /externalid|external[\s_-]?id/i.test(value) || /^arn:\S+\s+\S/.test(value.trim());
      return `contains whitespace (at character ${fault.at + 1}), so it is not a role ARN. ` +
        (pasted ? PASTED_MESSAGE : 'Remove the whitespace: a role ARN looks like arn:aws:iam::111122223333:role/BedrockHubRole.');
    }
    case 'not-arn':
      return `'${value}' is not an ARN: ${SHAPE}.`;
    case 'partition':
      return `'${value}' has the unknown partition '${fault.partition}': use one of ${PARTITIONS.join(', ')}.`;
    case 'assumed-role':
      return `'${value}' is an assumed-role session ARN, not a role ARN: use the role itself, arn:${fault.partition}:iam::${fault.account}:role/${fault.roleName} (plus its path, if it has one).`;
    case 'service':
      return `'${value}' is an ARN of the '${fault.service}' service, not an IAM role: ${SHAPE}.`;
    case 'region':
      return `'${value}' names a region ('${fault.region}'); IAM ARNs have none: ${SHAPE}.`;
    case 'account':
      return `'${value}' has the account '${fault.account}', which is not 12 digits: give the hub account id with all 12 digits (leading zeros included).`;
    case 'not-role':
      return fault.resource === 'other'
        ? `'${value}' is not a role ARN (the resource must start with 'role/'): ${SHAPE}.`
        : `'${value}' is an IAM ${fault.resource} ARN, not a role: ${SHAPE}.`;
    case 'role-name':
      if (fault.problem === 'missing') return `'${value}' ends in '/' and has no role name: ${SHAPE}.`;
      if (fault.problem === 'too-long') return `'${value}' has a role name of ${fault.length} characters; IAM allows at most ${ROLE_NAME_LIMITS.max}.`;
      return `'${value}' has characters IAM does not allow in a role name (allowed: letters, digits and + = , . @ _ -): ${SHAPE}.`;
  }
}
