/**
 * The contract between the constructs (which write the environment of a Lambda function) and the
 * runtime shim (which reads it): variable names, patterns and limits, written once.
 *
 * This module imports nothing. It is compiled into the construct library (jsii, `lib/`) and into
 * the runtime shim (`lib/shim/`), so both sides validate with the very same rules. It is not part
 * of the jsii API surface.
 */

/** The environment variables a hub-enabled function receives. */
export const ENV = {
  /** Hub role to assume. Absent or empty: hub mode is off. */
  ROLE_ARN: 'BEDROCK_ASSUME_ROLE_ARN',
  /** Passed as `ExternalId` to `sts:AssumeRole`. */
  EXTERNAL_ID: 'BEDROCK_ASSUME_ROLE_EXTERNAL_ID',
  /** `RoleSessionName`; defaults to the function name. */
  SESSION_NAME: 'BEDROCK_ASSUME_ROLE_SESSION_NAME',
  /** `DurationSeconds`, 900–3600. */
  DURATION_SECONDS: 'BEDROCK_ASSUME_ROLE_DURATION_SECONDS',
  /**
   * Roles in further accounts (agents, knowledge bases, profiles that live elsewhere): a JSON array
   * of `{ "roleArn": "...", "externalId"?: "..." }`, at most one role per account.
   */
  TARGETS: 'BEDROCK_ASSUME_ROLE_TARGETS',
  /** Static session tags: a JSON object of tag key → value, passed as `Tags` to every AssumeRole. */
  SESSION_TAGS: 'BEDROCK_ASSUME_ROLE_SESSION_TAGS',
  /** When set, a session tag with this key carries the function name (from AWS_LAMBDA_FUNCTION_NAME). */
  FUNCTION_NAME_TAG_KEY: 'BEDROCK_ASSUME_ROLE_FUNCTION_NAME_TAG_KEY',
  /** `SourceIdentity`: 2–64 characters of `[\w+=,.@-]`, not starting with `aws:`. */
  SOURCE_IDENTITY: 'BEDROCK_ASSUME_ROLE_SOURCE_IDENTITY',
} as const;

/** Standard Lambda variables the shim reads. */
export const LAMBDA_ENV = {
  FUNCTION_NAME: 'AWS_LAMBDA_FUNCTION_NAME',
  REGION: 'AWS_REGION',
  DEFAULT_REGION: 'AWS_DEFAULT_REGION',
} as const;

/** Partitions whose role ARNs are accepted. */
export const PARTITIONS = [
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
] as const;

/**
 * A role ARN: partition, 12-digit account, optional path (printable ASCII, no spaces), and a role
 * name of 1–64 `[\w+=,.@-]`. Written in the common subset of JavaScript and Java regular
 * expressions, so the same text is a CloudFormation `AllowedPattern`.
 */
export const ROLE_ARN_PATTERN_SOURCE =
  `arn:(${PARTITIONS.join('|')}):iam::[0-9]{12}:role/([!-.0-~]+/)*[\\w+=,.@-]{1,64}`;

/** `ExternalId`: 2–1224 characters of `[\w+=,.@:/-]`. */
export const EXTERNAL_ID_LIMITS = { min: 2, max: 1224 } as const;
export const EXTERNAL_ID_PATTERN_SOURCE = `[\\w+=,.@:/-]{${EXTERNAL_ID_LIMITS.min},${EXTERNAL_ID_LIMITS.max}}`;

/** `RoleSessionName`: 2–64 characters of `[\w+=,.@-]`. */
export const SESSION_NAME_LIMITS = { min: 2, max: 64 } as const;
export const SESSION_NAME_PATTERN_SOURCE = `[\\w+=,.@-]{${SESSION_NAME_LIMITS.min},${SESSION_NAME_LIMITS.max}}`;

/**
 * `DurationSeconds`. From Lambda, assuming the hub role is role chaining (the function already runs
 * as an assumed role), which STS caps at one hour whatever the role's maximum session duration is.
 */
export const DURATION_LIMITS = { min: 900, max: 3600 } as const;

/** Compiled, anchored forms of the patterns above. */
export const ROLE_ARN_PATTERN = new RegExp(`^${ROLE_ARN_PATTERN_SOURCE}$`);
export const EXTERNAL_ID_PATTERN = new RegExp(`^${EXTERNAL_ID_PATTERN_SOURCE}$`);
export const SESSION_NAME_PATTERN = new RegExp(`^${SESSION_NAME_PATTERN_SOURCE}$`);

/** The parts of a valid role ARN. */
export interface RoleArnParts {
  readonly partition: string;
  readonly account: string;
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

/**
 * Why `value` is not a usable hub role ARN, with the fix; `undefined` when it is one.
 *
 * The text never repeats what follows a whitespace character: that is where a pasted ExternalId
 * (a secret) would be.
 */
export function describeRoleArnProblem(value: string): string | undefined {
  // "…:role/Hub,ExternalId=s3cr3t" even matches the pattern (',' and '=' are allowed in role
  // names): name the mistake, and never repeat the value, which holds the secret.
  const pastedAt = value.search(/[\s,;|]+external[\s_-]?id\s*[:=]/i);
  if (pastedAt >= 0) {
    return `contains an ExternalId after the role name (at character ${pastedAt + 1}), so it is not the role ARN alone. ` +
      'It looks like the role ARN and the ExternalId were pasted into one value: pass the ARN alone, and the ExternalId in its own setting.';
  }
  if (ROLE_ARN_PATTERN.test(value)) return undefined;
  const ws = value.search(/\s/);
  if (ws >= 0) {
    const pasted = /externalid|external[\s_-]?id/i.test(value) || /^arn:\S+\s+\S/.test(value.trim());
    return `contains whitespace (at character ${ws + 1}), so it is not a role ARN. ` +
      (pasted
        ? 'It looks like the role ARN and the ExternalId were pasted into one value: pass the ARN alone, and the ExternalId in its own setting.'
        : 'Remove the whitespace: a role ARN looks like arn:aws:iam::111122223333:role/BedrockHubRole.');
  }
  const shape = 'a role ARN looks like arn:aws:iam::111122223333:role/BedrockHubRole';
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') {
    return `'${value}' is not an ARN: ${shape}.`;
  }
  const [, partition, service, region, account] = parts;
  const resource = parts.slice(5).join(':');
  if (!(PARTITIONS as readonly string[]).includes(partition)) {
    return `'${value}' has the unknown partition '${partition}': use one of ${PARTITIONS.join(', ')}.`;
  }
  if (service === 'sts' && resource.startsWith('assumed-role/')) {
    const roleName = resource.split('/')[1] ?? 'RoleName';
    return `'${value}' is an assumed-role session ARN, not a role ARN: use the role itself, arn:${partition}:iam::${account}:role/${roleName} (plus its path, if it has one).`;
  }
  if (service !== 'iam') {
    return `'${value}' is an ARN of the '${service}' service, not an IAM role: ${shape}.`;
  }
  if (region !== '') {
    return `'${value}' names a region ('${region}'); IAM ARNs have none: ${shape}.`;
  }
  if (!/^[0-9]{12}$/.test(account)) {
    return `'${value}' has the account '${account}', which is not 12 digits: give the hub account id with all 12 digits (leading zeros included).`;
  }
  if (resource.startsWith('user/') || resource.startsWith('group/') || resource === 'root') {
    return `'${value}' is an IAM ${resource === 'root' ? 'account root' : resource.split('/')[0]} ARN, not a role: ${shape}.`;
  }
  if (!resource.startsWith('role/')) {
    return `'${value}' is not a role ARN (the resource must start with 'role/'): ${shape}.`;
  }
  const name = resource.split('/').pop() ?? '';
  if (name.length === 0) {
    return `'${value}' ends in '/' and has no role name: ${shape}.`;
  }
  if (name.length > 64) {
    return `'${value}' has a role name of ${name.length} characters; IAM allows at most 64.`;
  }
  return `'${value}' has characters IAM does not allow in a role name (allowed: letters, digits and + = , . @ _ -): ${shape}.`;
}

/** Why `value` is not a usable ExternalId; never repeats the value (it is a secret). */
export function describeExternalIdProblem(value: string): string | undefined {
  if (EXTERNAL_ID_PATTERN.test(value)) return undefined;
  const { min, max } = EXTERNAL_ID_LIMITS;
  if (value.length < min || value.length > max) {
    return `has ${value.length} characters; STS requires ${min} to ${max}.`;
  }
  const bad = [...value].find((c) => !/[\w+=,.@:/-]/.test(c)) ?? '';
  const shown = /\s/.test(bad) ? 'whitespace' : `the character '${bad}'`;
  return `contains ${shown}; STS allows only letters, digits and + = , . @ : / _ - (the value itself is not shown: it is a secret).`;
}

/** Why `value` is not a usable RoleSessionName. */
export function describeSessionNameProblem(value: string): string | undefined {
  if (SESSION_NAME_PATTERN.test(value)) return undefined;
  const { min, max } = SESSION_NAME_LIMITS;
  if (value.length < min || value.length > max) {
    return `'${value}' has ${value.length} characters; STS requires ${min} to ${max}.`;
  }
  const bad = [...value].find((c) => !/[\w+=,.@-]/.test(c)) ?? '';
  const shown = /\s/.test(bad) ? 'whitespace' : `the character '${bad}'`;
  return `'${value}' contains ${shown}; STS allows only letters, digits and + = , . @ _ -.`;
}

/** Why `seconds` is not a usable DurationSeconds for a role-chained session. */
export function describeDurationProblem(seconds: number): string | undefined {
  const { min, max } = DURATION_LIMITS;
  if (Number.isInteger(seconds) && seconds >= min && seconds <= max) return undefined;
  if (!Number.isInteger(seconds)) {
    return `${seconds} is not a whole number of seconds; use ${min} to ${max}.`;
  }
  if (seconds > max) {
    return `${seconds} s is more than ${max} s: from Lambda this is role chaining, which STS caps at one hour whatever the role's MaxSessionDuration. Use ${max} or less.`;
  }
  return `${seconds} s is less than STS's minimum of ${min} s (15 minutes).`;
}

/**
 * Turns any name (usually the Lambda function name) into a valid RoleSessionName: disallowed
 * characters become '-', the result is cut to 64 characters and padded to at least 2.
 */
export function sanitizeSessionName(name: string): string {
  if (name.trim() === '') return 'bedrock-hub-access';
  let cleaned = name.replace(/[^\w+=,.@-]/g, '-').slice(0, SESSION_NAME_LIMITS.max);
  while (cleaned.length < SESSION_NAME_LIMITS.min) cleaned += '-';
  return cleaned;
}

/** One target role in {@link ENV.TARGETS}. */
export interface TargetRole {
  readonly roleArn: string;
  readonly externalId?: string;
}

/** A 12-digit AWS account id. */
export const ACCOUNT_ID_PATTERN = /^[0-9]{12}$/;

/**
 * Parses and validates the {@link ENV.TARGETS} value. Returns the targets, or the problem (which
 * never repeats an external ID value).
 */
export function parseTargets(json: string): { targets: TargetRole[] } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { problem: 'is not valid JSON: expected an array like [{"roleArn":"arn:aws:iam::333333333333:role/AgentRole","externalId":"..."}].' };
  }
  if (!Array.isArray(value)) {
    return { problem: 'must be a JSON array of {"roleArn", "externalId"?} objects.' };
  }
  const seen = new Map<string, string>();
  const targets: TargetRole[] = [];
  for (const [i, item] of value.entries()) {
    if (typeof item !== 'object' || item === null || typeof item.roleArn !== 'string') {
      return { problem: `entry ${i} must be an object with a string "roleArn".` };
    }
    const unknown = Object.keys(item).filter((k) => k !== 'roleArn' && k !== 'externalId');
    if (unknown.length > 0) {
      return { problem: `entry ${i} has unknown field(s) ${unknown.join(', ')}; only "roleArn" and "externalId" are allowed.` };
    }
    const arnProblem = describeRoleArnProblem(item.roleArn);
    if (arnProblem) return { problem: `entry ${i} "roleArn": ${arnProblem}` };
    if (item.externalId !== undefined) {
      const idProblem = typeof item.externalId === 'string' ? describeExternalIdProblem(item.externalId) : 'must be a string.';
      if (idProblem) return { problem: `entry ${i} "externalId" ${idProblem}` };
    }
    const account = parseRoleArn(item.roleArn)!.account;
    const previous = seen.get(account);
    if (previous !== undefined) {
      return { problem: `entries ${previous} and ${i} both target account ${account}; give one role per account.` };
    }
    seen.set(account, String(i));
    targets.push(item.externalId === undefined ? { roleArn: item.roleArn } : { roleArn: item.roleArn, externalId: item.externalId });
  }
  return { targets };
}

/** STS session tag limits. */
export const SESSION_TAG_LIMITS = { maxTags: 50, keyMax: 128, valueMax: 256 } as const;
/** Characters STS allows in tag keys and values (letters, digits, spaces and `_ . : / = + - @`). */
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Why a session tag key is not usable; `undefined` when it is. */
export function describeTagKeyProblem(key: string): string | undefined {
  if (key.length < 1 || key.length > SESSION_TAG_LIMITS.keyMax) {
    return `tag key '${key}' has ${key.length} characters; STS allows 1 to ${SESSION_TAG_LIMITS.keyMax}.`;
  }
  if (!TAG_CHARS.test(key)) {
    return `tag key '${key}' has characters STS does not allow (letters, digits, spaces and _ . : / = + - @).`;
  }
  if (/^aws:/i.test(key)) return `tag key '${key}' starts with 'aws:', which is reserved.`;
  return undefined;
}

/** Why a session tag value is not usable; `undefined` when it is. */
export function describeTagValueProblem(key: string, value: string): string | undefined {
  if (value.length > SESSION_TAG_LIMITS.valueMax) {
    return `tag '${key}' has a value of ${value.length} characters; STS allows at most ${SESSION_TAG_LIMITS.valueMax}.`;
  }
  if (!TAG_CHARS.test(value)) {
    return `tag '${key}' has a value with characters STS does not allow (letters, digits, spaces and _ . : / = + - @).`;
  }
  return undefined;
}

/**
 * Why a set of session tags is not usable (count, keys, values, keys that differ only in case —
 * STS treats tag keys case-insensitively); `undefined` when it is.
 */
export function describeSessionTagsProblem(tags: Record<string, string>): string | undefined {
  const keys = Object.keys(tags);
  if (keys.length > SESSION_TAG_LIMITS.maxTags) {
    return `has ${keys.length} tags; STS allows at most ${SESSION_TAG_LIMITS.maxTags} session tags.`;
  }
  const lower = new Map<string, string>();
  for (const key of keys) {
    const problem = describeTagKeyProblem(key) ?? describeTagValueProblem(key, tags[key]);
    if (problem) return problem;
    const clash = lower.get(key.toLowerCase());
    if (clash !== undefined) return `tag keys '${clash}' and '${key}' differ only in case; STS treats them as the same key.`;
    lower.set(key.toLowerCase(), key);
  }
  return undefined;
}

/** `SourceIdentity`: 2–64 characters of `[\w+=,.@-]`, not starting with `aws:`. */
export function describeSourceIdentityProblem(value: string): string | undefined {
  if (/^aws:/i.test(value)) return `'${value}' starts with 'aws:', which STS reserves.`;
  return describeSessionNameProblem(value);
}
