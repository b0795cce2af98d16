/**
 * What an `sts:AssumeRole` call carries besides the role: ExternalId, RoleSessionName,
 * DurationSeconds, session tags and SourceIdentity.
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_Tag.html
 */
import { describeBadCharacter } from './values';

/**
 * `ExternalId`: 2–1224 characters of `[\w+=,.@:/-]`.
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (`ExternalId`: `[\w+=,.@:\/-]*`, 2–1224)
 */
export const EXTERNAL_ID_LIMITS = { min: 2, max: 1224 } as const;
export const EXTERNAL_ID_PATTERN_SOURCE = `[\\w+=,.@:/-]{${EXTERNAL_ID_LIMITS.min},${EXTERNAL_ID_LIMITS.max}}`;
export const EXTERNAL_ID_PATTERN = new RegExp(`^${EXTERNAL_ID_PATTERN_SOURCE}$`);

/**
 * `RoleSessionName`: 2–64 characters of `[\w+=,.@-]`.
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (`RoleSessionName`: `[\w+=,.@-]*`, 2–64)
 */
export const SESSION_NAME_LIMITS = { min: 2, max: 64 } as const;
export const SESSION_NAME_PATTERN_SOURCE = `[\\w+=,.@-]{${SESSION_NAME_LIMITS.min},${SESSION_NAME_LIMITS.max}}`;
export const SESSION_NAME_PATTERN = new RegExp(`^${SESSION_NAME_PATTERN_SOURCE}$`);

/**
 * `DurationSeconds`. From Lambda, assuming the hub role is role chaining (the function already runs
 * as an assumed role), which STS caps at one hour whatever the role's maximum session duration is.
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (`DurationSeconds`: 900 to the role's maximum; 3600 for role chaining)
 */
export const DURATION_LIMITS = { min: 900, max: 3600 } as const;

/**
 * A role's `MaxSessionDuration`: 1 to 12 hours, in seconds.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (`MaxSessionDuration`: 3600–43200)
 */
export const MAX_SESSION_DURATION_LIMITS = { min: 3600, max: 43200 } as const;

/**
 * STS session tag limits.
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_Tag.html (`Key` 1–128, `Value` 0–256)
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (`Tags`: at most 50)
 */
export const SESSION_TAG_LIMITS = { maxTags: 50, keyMax: 128, valueMax: 256 } as const;
/**
 * Characters STS allows in tag keys and values (letters, digits, spaces and `_ . : / = + - @`).
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_Tag.html (`[\p{L}\p{Z}\p{N}_.:/=+\-@]+`)
 */
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * `SourceIdentity`: 2–64 characters of `[\w+=,.@-]`, not starting with `aws:`.
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (`SourceIdentity`: `[\w+=,.@-]*`, 2–64)
 */
export const SOURCE_IDENTITY_LIMITS = SESSION_NAME_LIMITS;

/**
 * A `StringLike` pattern for `sts:SourceIdentity`: 1–64 characters of the source identity's
 * characters and the wildcards `*` and `?`.
 */
export const SOURCE_IDENTITY_CONDITION_PATTERN = /^[\w+=,.@*?-]{1,64}$/;

/** The prefix STS reserves in tag keys and source identities. */
const RESERVED_PREFIX = /^aws:/i;

/** Why `value` is not a usable ExternalId; never repeats the value (it is a secret). */
export function describeExternalIdProblem(value: string): string | undefined {
  if (EXTERNAL_ID_PATTERN.test(value)) return undefined;
  const { min, max } = EXTERNAL_ID_LIMITS;
  if (value.length < min || value.length > max) {
    return `has ${value.length} characters; STS requires ${min} to ${max}.`;
  }
  return `contains ${describeBadCharacter(value, /[\w+=,.@:/-]/)}; STS allows only letters, digits and + = , . @ : / _ - (the value itself is not shown: it is a secret).`;
}

/** Why `value` is not a usable RoleSessionName. */
export function describeSessionNameProblem(value: string): string | undefined {
  if (SESSION_NAME_PATTERN.test(value)) return undefined;
  const { min, max } = SESSION_NAME_LIMITS;
  if (value.length < min || value.length > max) {
    return `'${value}' has ${value.length} characters; STS requires ${min} to ${max}.`;
  }
  return `'${value}' contains ${describeBadCharacter(value, /[\w+=,.@-]/)}; STS allows only letters, digits and + = , . @ _ -.`;
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

/** Why a session tag key is not usable; `undefined` when it is. */
export function describeTagKeyProblem(key: string): string | undefined {
  if (key.length < 1 || key.length > SESSION_TAG_LIMITS.keyMax) {
    return `tag key '${key}' has ${key.length} characters; STS allows 1 to ${SESSION_TAG_LIMITS.keyMax}.`;
  }
  if (!TAG_CHARS.test(key)) {
    return `tag key '${key}' has characters STS does not allow (letters, digits, spaces and _ . : / = + - @).`;
  }
  if (RESERVED_PREFIX.test(key)) return `tag key '${key}' starts with 'aws:', which is reserved.`;
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

/** Why `value` is not a usable SourceIdentity: 2–64 characters of `[\w+=,.@-]`, not starting with `aws:`. */
export function describeSourceIdentityProblem(value: string): string | undefined {
  if (RESERVED_PREFIX.test(value)) return `'${value}' starts with 'aws:', which STS reserves.`;
  return describeSessionNameProblem(value);
}

/**
 * Why `pattern` is not a usable `sts:SourceIdentity` condition pattern (reads on from the value);
 * `undefined` when it is one.
 */
export function describeSourceIdentityPatternProblem(pattern: string): string | undefined {
  if (!SOURCE_IDENTITY_CONDITION_PATTERN.test(pattern)) {
    return 'is not a source identity pattern: 1 to 64 characters of letters, digits, + = , . @ _ - and the wildcards * and ?, e.g. \'orders-*\' (or \'*\' to require any source identity).';
  }
  if (RESERVED_PREFIX.test(pattern)) {
    return 'starts with \'aws:\', which STS reserves: no source identity can match it.';
  }
  return undefined;
}

/** Sanitises a value (usually the function name) into a session tag value: disallowed characters become '-', cut to 256. */
export function sanitizeTagValue(value: string): string {
  return value.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '-').slice(0, SESSION_TAG_LIMITS.valueMax);
}
