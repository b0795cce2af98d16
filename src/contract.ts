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

/** Sanitises a value (usually the function name) into a session tag value: disallowed characters become '-', cut to 256. */
export function sanitizeTagValue(value: string): string {
  return value.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '-').slice(0, SESSION_TAG_LIMITS.valueMax);
}

// ---------------------------------------------------------------------------
// Bedrock identifiers and resource ARNs
// ---------------------------------------------------------------------------

/** Quotes that come along when an id is copied out of JSON, a spreadsheet or a chat. */
const QUOTES = '"\'`\u2018\u2019\u201c\u201d';
/** Whitespace and invisible characters that come along when an id is pasted. */
const STRAY_NAMES: Record<string, string> = {
  ' ': 'space',
  '\t': 'tab',
  '\n': 'newline',
  '\r': 'carriage return',
  '\u00a0': 'non-breaking space',
  '\u200b': 'zero-width space',
  '\ufeff': 'byte-order mark',
};

/** `'"'` for a quote, `space` for a space, … ; `undefined` for other characters. */
function strayName(c: string): string | undefined {
  if (c === '') return undefined;
  if (QUOTES.includes(c)) return `'${c}'`;
  return STRAY_NAMES[c] ?? (/\s/.test(c) ? 'whitespace character' : undefined);
}

/** A value as a message shows it: JSON-quoted, invisible characters escaped, long values cut. */
export function showValue(value: string): string {
  const shown = JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
  return shown.replace(/[^\x20-\x7e…]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Names a quote or whitespace character in `value` (`"IO1GTTHP0M\"" has a trailing '"'`); the
 * usual way a stored id goes wrong. `undefined` when there is none.
 */
export function describeStrayCharacter(value: string): string | undefined {
  const first = strayName(value.charAt(0));
  const last = strayName(value.charAt(value.length - 1));
  if (value.length > 1 && first && first === last) return `${showValue(value)} is wrapped in ${first}`;
  if (first) return `${showValue(value)} has a leading ${first}`;
  if (last) return `${showValue(value)} has a trailing ${last}`;
  for (let i = 0; i < value.length; i++) {
    const name = strayName(value.charAt(i));
    if (name) return `${showValue(value)} contains ${name.startsWith("'") ? name : `a ${name}`} at character ${i + 1}`;
  }
  return undefined;
}

/** Why `value` is not a 12-digit account id (quotes and whitespace named); `undefined` when it is one. */
export function describeAccountIdProblem(value: string): string | undefined {
  if (ACCOUNT_ID_PATTERN.test(value)) return undefined;
  const stray = describeStrayCharacter(value);
  if (stray) return `${stray}; an account id is 12 digits.`;
  return `${showValue(value)} is not 12 digits; an account id is 12 digits, leading zeros included.`;
}

/** Agent, agent alias and knowledge base ids: 10 upper-case letters and digits (the draft alias is `TSTALIASID`). */
export const AGENT_ID_PATTERN = /^[0-9A-Z]{10}$/;
export const AGENT_ALIAS_ID_PATTERN = /^([0-9A-Z]{10}|TSTALIASID)$/;
export const KNOWLEDGE_BASE_ID_PATTERN = /^[0-9A-Z]{10}$/;
/** A guardrail id, as Bedrock's `guardrailIdentifier` pattern has it: lower-case letters and digits. */
export const GUARDRAIL_ID_PATTERN = /^[a-z0-9]+$/;
/** A guardrail version: a number from 1, or `DRAFT`. */
export const GUARDRAIL_VERSION_PATTERN = /^([1-9][0-9]{0,7}|DRAFT)$/;
/** A model or inference profile id that is not an ARN (`anthropic.claude-3-haiku-20240307-v1:0`, `us.amazon.nova-lite-v1:0`). */
export const MODEL_ID_PATTERN = /^[\w.:/-]{1,2048}$/;

/** The parts of a Bedrock resource ARN (`arn:aws:bedrock:us-east-1:111122223333:agent-alias/AGENT12345/ALIAS12345`). */
export interface BedrockArnParts {
  readonly partition: string;
  /** `bedrock`, or `sagemaker` for a marketplace endpoint used as a model. */
  readonly service: string;
  readonly region: string;
  /** Empty for resources that belong to no account (`foundation-model/…`). */
  readonly account: string;
  /** `agent-alias`, `knowledge-base`, `guardrail`, `application-inference-profile`, `foundation-model`, … */
  readonly resourceType: string;
  /** What follows the type and its '/': `AGENT12345/ALIAS12345` for an agent alias. */
  readonly resourceId: string;
}

const BEDROCK_ARN_PATTERN = new RegExp(`^arn:(${PARTITIONS.join('|')}):(bedrock|sagemaker):([a-z0-9-]*):([0-9]{12})?:([a-z-]+)/(\\S+)$`);

/** Resource ids Bedrock constrains in ARNs; other resource types only need to be non-empty. */
const ARN_RESOURCE_IDS: Record<string, [RegExp, string]> = {
  'agent': [/^[0-9A-Z]{10}$/, 'agent/<10 upper-case letters and digits>'],
  'agent-alias': [/^[0-9A-Z]{10}\/([0-9A-Z]{10}|TSTALIASID)$/, 'agent-alias/<agent id>/<alias id>, each 10 upper-case letters and digits'],
  'knowledge-base': [/^[0-9A-Z]{10}$/, 'knowledge-base/<10 upper-case letters and digits>'],
  'guardrail': [/^[a-z0-9]+$/, 'guardrail/<lower-case letters and digits>'],
  'prompt': [/^[0-9a-zA-Z]{10}(:[0-9]{1,5})?$/, 'prompt/<10 letters and digits>[:<version>]'],
  'flow': [/^[0-9a-zA-Z]{10}(\/alias\/[0-9a-zA-Z]{10})?$/, 'flow/<flow id>[/alias/<alias id>]'],
  'application-inference-profile': [/^[a-zA-Z0-9-:.]+$/, 'application-inference-profile/<id>'],
  'inference-profile': [/^[a-zA-Z0-9-:.]+$/, 'inference-profile/<id>'],
};

/** Splits a valid Bedrock resource ARN; `undefined` for anything else (see {@link describeBedrockArnProblem}). */
export function parseBedrockArn(value: string): BedrockArnParts | undefined {
  const match = BEDROCK_ARN_PATTERN.exec(value);
  if (!match) return undefined;
  const [, partition, service, region, account = '', resourceType, resourceId] = match;
  const rule = ARN_RESOURCE_IDS[resourceType];
  if (rule && !rule[0].test(resourceId)) return undefined;
  return { partition, service, region, account, resourceType, resourceId };
}

/** Why `value` is not a Bedrock resource ARN, with the expected shape; `undefined` when it is one. */
export function describeBedrockArnProblem(value: string): string | undefined {
  if (parseBedrockArn(value)) return undefined;
  const stray = describeStrayCharacter(value);
  if (stray) return `${stray}.`;
  const shape = 'a Bedrock ARN looks like arn:aws:bedrock:us-east-1:111122223333:knowledge-base/KB12345678';
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return `${showValue(value)} is not an ARN: ${shape}.`;
  const [, partition, service, , account] = parts;
  if (!(PARTITIONS as readonly string[]).includes(partition)) return `${showValue(value)} has the unknown partition '${partition}'.`;
  if (service !== 'bedrock' && service !== 'sagemaker') return `${showValue(value)} is an ARN of the '${service}' service, not of Bedrock: ${shape}.`;
  if (account !== '' && !ACCOUNT_ID_PATTERN.test(account)) return `${showValue(value)} has the account '${account}', which is not 12 digits.`;
  const resource = parts.slice(5).join(':');
  const slash = resource.indexOf('/');
  const rule = ARN_RESOURCE_IDS[resource.slice(0, slash)];
  if (slash > 0 && rule) return `${showValue(value)} does not end in ${rule[1]}.`;
  return `${showValue(value)} is not a Bedrock resource ARN: ${shape}.`;
}

/** The Bedrock request fields the shim checks before a call, and the functions here describe. */
export type BedrockIdKind =
  | 'agentId'
  | 'agentAliasId'
  | 'knowledgeBaseId'
  | 'guardrailId'
  | 'guardrailIdentifier'
  | 'guardrailVersion'
  | 'modelId'
  | 'inferenceProfileIdentifier';

/** Pattern and expected shape of ids that cannot be ARNs. */
const ID_RULES: Record<string, [RegExp, string]> = {
  agentId: [AGENT_ID_PATTERN, 'an agent id is 10 upper-case letters and digits, e.g. PEGHWIVI5Y'],
  agentAliasId: [AGENT_ALIAS_ID_PATTERN, 'an agent alias id is 10 upper-case letters and digits (e.g. IO1GTTHP0M), or TSTALIASID for the draft'],
  knowledgeBaseId: [KNOWLEDGE_BASE_ID_PATTERN, 'a knowledge base id is 10 upper-case letters and digits, e.g. KB12345678'],
  guardrailId: [GUARDRAIL_ID_PATTERN, 'a guardrail id is lower-case letters and digits, e.g. gr4abc123xyz'],
  guardrailVersion: [GUARDRAIL_VERSION_PATTERN, 'a guardrail version is a number from 1, or DRAFT'],
  guardrailIdentifier: [GUARDRAIL_ID_PATTERN, 'a guardrail identifier is its id (lower-case letters and digits) or its ARN'],
  modelId: [MODEL_ID_PATTERN, 'a model id looks like anthropic.claude-3-haiku-20240307-v1:0 or us.amazon.nova-lite-v1:0, or is an ARN'],
  inferenceProfileIdentifier: [/^[a-zA-Z0-9-:.]+$/, 'an inference profile identifier is its id (us.anthropic.claude-3-haiku-20240307-v1:0) or its ARN'],
};

/** ARN resource types a field accepts. */
const ARN_TYPES: Partial<Record<BedrockIdKind, RegExp>> = {
  guardrailIdentifier: /^guardrail$/,
  inferenceProfileIdentifier: /^(application-)?inference-profile$/,
  modelId: /./,
};

/**
 * Why `value` is not a usable Bedrock id of this kind (a stray quote or whitespace is named, and
 * the expected shape given); `undefined` when it is one. The text reads on from the field name:
 * `agentAliasId "IO1GTTHP0M\"" has a trailing '"'; …`.
 */
export function describeBedrockIdProblem(kind: BedrockIdKind, value: string): string | undefined {
  const [pattern, shape] = ID_RULES[kind];
  const arnTypes = ARN_TYPES[kind];
  if (arnTypes && value.startsWith('arn:')) {
    const arnProblem = describeBedrockArnProblem(value);
    if (arnProblem) return arnProblem;
    const type = parseBedrockArn(value)!.resourceType;
    return arnTypes.test(type) ? undefined : `${showValue(value)} is a ${type} ARN; ${shape}.`;
  }
  if (pattern.test(value)) return undefined;
  const stray = describeStrayCharacter(value);
  if (stray) return `${stray}; ${shape}.`;
  if (kind === 'agentId' || kind === 'agentAliasId' || kind === 'knowledgeBaseId') {
    if (value.length !== 10) return `${showValue(value)} has ${value.length} characters; ${shape}.`;
    if (/[a-z]/.test(value)) return `${showValue(value)} has lower-case letters; ${shape}.`;
  }
  return `${showValue(value)} is not valid: ${shape}.`;
}
