/**
 * The function's environment, read and validated once, into the settings of the hub session.
 *
 * Names, patterns and limits come from the shared contract (`src/contract/`), the same module the
 * constructs validate with, so a value the construct accepts is a value the shim accepts.
 */

import { configurationError } from './errors';
import {
  DURATION_LIMITS,
  ENV,
  LAMBDA_ENV,
  REGION_PATTERN,
  describeDurationProblem,
  describeExternalIdProblem,
  describeRoleArnProblem,
  describeSessionNameProblem,
  describeSessionTagsProblem,
  describeSourceIdentityProblem,
  describeStsRegionsProblem,
  describeTagKeyProblem,
  parseRoleArn,
  parseTargets,
  sanitizeSessionName,
  sanitizeTagValue,
  splitStsRegions,
} from '../src/contract';

/** Variables the shim reads, as in `process.env`. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** `DurationSeconds` when {@link ENV.DURATION_SECONDS} is not set: the role-chaining maximum. */
export const DEFAULT_DURATION_SECONDS = DURATION_LIMITS.max;

/** A session tag, as AssumeRole takes it. */
export interface SessionTag {
  readonly Key: string;
  readonly Value: string;
}

/**
 * Which role a {@link RoleToAssume} is: the hub role ({@link ENV.ROLE_ARN}) or a target role, one
 * per further account ({@link ENV.TARGETS}).
 */
export type RoleKind = 'hub' | 'target';

/**
 * A role to assume, and everything that makes its sessions distinct: the hub role, and each
 * target role, have one each (and a credential cache each).
 */
export interface RoleToAssume {
  readonly kind: RoleKind;
  readonly roleArn: string;
  /** The role's account: the account every assumed session must be in. */
  readonly account: string;
  readonly partition: string;
  /** Secret: never logged, never part of a message. */
  readonly externalId?: string;
  readonly sessionName: string;
  readonly durationSeconds: number;
  /** The first of {@link stsRegions}: STS is called in it first, on its regional endpoint. */
  readonly stsRegion: string;
  /**
   * The STS regions, most preferred first ({@link ENV.STS_REGIONS}; the function's region when
   * that is empty): when one answers 5xx or cannot be reached, the next is tried.
   * @default [stsRegion]
   */
  readonly stsRegions?: readonly string[];
  /**
   * An STS endpoint read from an injected environment (`AWS_ENDPOINT_URL_STS`, then
   * `AWS_ENDPOINT_URL`). Unset when the shim reads `process.env`: the SDK then resolves the
   * configured endpoint itself, config files included.
   */
  readonly stsEndpoint?: string;
  /** Session tags: {@link ENV.SESSION_TAGS} plus the function name under {@link ENV.FUNCTION_NAME_TAG_KEY}. */
  readonly tags?: readonly SessionTag[];
  /** `SourceIdentity` ({@link ENV.SOURCE_IDENTITY}). */
  readonly sourceIdentity?: string;
}

/** The validated settings of a hub session. */
export interface HubConfig {
  /** The region clients are built for; undefined only when no role is configured and no region is set. */
  readonly region?: string;
  /** The hub role ({@link ENV.ROLE_ARN}); undefined when hub mode is off. */
  readonly hubRole?: RoleToAssume;
  /**
   * The target roles of {@link ENV.TARGETS}, one per account (none of them the hub role's). Same
   * session name, duration, tags and source identity as the hub role; each with its own ExternalId only.
   */
  readonly targets: readonly RoleToAssume[];
}

/** Where the settings come from. */
export interface ConfigSource {
  readonly env: Environment;
  /** Overrides the region variables. */
  readonly region?: string;
}

function present(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

/**
 * Reads and validates the hub settings. Throws a `BedrockHubError` of layer `configuration` that
 * names the variable and the fix for the first unusable value.
 *
 * Neither {@link ENV.ROLE_ARN} nor {@link ENV.TARGETS} set: hub mode is off, nothing is validated.
 * {@link ENV.TARGETS} without {@link ENV.ROLE_ARN} is valid: hub mode stays off (Bedrock is called
 * as the function itself) and only the target accounts' resources go through their roles.
 */
export function readHubConfig(source: ConfigSource): HubConfig {
  const { env } = source;
  const roleArn = env[ENV.ROLE_ARN];
  const targetsJson = env[ENV.TARGETS];
  // Hub mode off: nothing is validated, nothing changes.
  if (!present(roleArn) && !present(targetsJson)) return { region: readRegion(source, false), targets: [] };
  const region = readRegion(source, true);

  let hub: RoleArnAndExternalId | undefined;
  if (present(roleArn)) {
    const roleArnProblem = describeRoleArnProblem(roleArn);
    const parts = parseRoleArn(roleArn);
    if (roleArnProblem !== undefined || parts === undefined) {
      throw configurationError(ENV.ROLE_ARN, roleArnProblem ?? 'is not a role ARN.',
        `Set ${ENV.ROLE_ARN} to the hub role's ARN alone (the BedrockHubAccess construct writes it), or leave it empty to turn hub mode off.`);
    }
    const externalId = env[ENV.EXTERNAL_ID];
    if (present(externalId)) {
      const problem = describeExternalIdProblem(externalId);
      if (problem !== undefined) {
        throw configurationError(ENV.EXTERNAL_ID, problem,
          `Set ${ENV.EXTERNAL_ID} to the value of the hub role's sts:ExternalId condition, or leave it empty if the trust policy has none.`);
      }
    }
    hub = { roleArn, account: parts.account, partition: parts.partition, externalId: present(externalId) ? externalId : undefined };
  }

  const sessionName = present(env[ENV.SESSION_NAME])
    ? env[ENV.SESSION_NAME] as string
    : sanitizeSessionName(env[LAMBDA_ENV.FUNCTION_NAME] ?? '');
  const sessionNameProblem = describeSessionNameProblem(sessionName);
  if (sessionNameProblem !== undefined) {
    throw configurationError(ENV.SESSION_NAME, sessionNameProblem,
      `Fix ${ENV.SESSION_NAME}, or leave it empty to use the function name (${LAMBDA_ENV.FUNCTION_NAME}), made valid.`);
  }

  const durationSeconds = readDuration(env[ENV.DURATION_SECONDS]);
  const tags = readSessionTags(env);
  const sourceIdentity = readSourceIdentity(env[ENV.SOURCE_IDENTITY]);

  if (region === undefined) {
    throw configurationError(LAMBDA_ENV.REGION, 'is not set, so there is no region to call STS and Bedrock in.',
      `Set ${LAMBDA_ENV.REGION} (Lambda always does), or pass the \`region\` option to getBedrockHubSession().`);
  }

  const stsRegions = readStsRegions(env[ENV.STS_REGIONS]) ?? [region];
  const stsEndpoint = source.env === process.env ? undefined : configuredStsEndpoint(env);
  const role = (kind: RoleKind) => (r: RoleArnAndExternalId): RoleToAssume =>
    ({ kind, ...r, sessionName, durationSeconds, stsRegion: stsRegions[0], stsRegions, stsEndpoint, tags, sourceIdentity });
  return {
    region,
    hubRole: hub && role('hub')(hub),
    targets: present(targetsJson) ? readTargets(targetsJson, hub?.account).map(role('target')) : [],
  };
}

/** What differs between the hub role and each target role; the rest of a {@link RoleToAssume} they share. */
type RoleArnAndExternalId = Pick<RoleToAssume, 'roleArn' | 'account' | 'partition' | 'externalId'>;

function readTargets(json: string, hubAccount: string | undefined): RoleArnAndExternalId[] {
  const fix = `Set ${ENV.TARGETS} to a JSON array with one {"roleArn", "externalId"?} per account other than the hub's ` +
    '(the BedrockHubAccess construct writes it), or leave it empty.';
  const parsed = parseTargets(json);
  if ('problem' in parsed) throw configurationError(ENV.TARGETS, parsed.problem, fix);
  return parsed.targets.map(({ roleArn, externalId }, i) => {
    const { account, partition } = parseRoleArn(roleArn)!;
    if (account === hubAccount) {
      throw configurationError(ENV.TARGETS, `entry ${i} is in account ${account}, the account of ${ENV.ROLE_ARN}: that account is served by the hub role.`, fix);
    }
    return { roleArn, account, partition, externalId };
  });
}

function readSessionTags(env: Environment): SessionTag[] | undefined {
  const fix = `Set ${ENV.SESSION_TAGS} to a JSON object of tag key → string value (at most 50 tags, counting the one under ${ENV.FUNCTION_NAME_TAG_KEY}), or leave it empty.`;
  const tags: Record<string, string> = {};
  const json = env[ENV.SESSION_TAGS];
  if (present(json)) {
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      throw configurationError(ENV.SESSION_TAGS, 'is not valid JSON: expected an object like {"team":"orders","cost-center":"1234"}.', fix);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw configurationError(ENV.SESSION_TAGS, 'must be a JSON object of tag key → value, like {"team":"orders"}.', fix);
    }
    for (const [key, tagValue] of Object.entries(value)) {
      if (typeof tagValue !== 'string') {
        throw configurationError(ENV.SESSION_TAGS, `tag '${key}' has a ${tagValue === null ? 'null' : typeof tagValue} value; session tag values are strings.`, fix);
      }
      tags[key] = tagValue;
    }
  }
  const functionNameKey = env[ENV.FUNCTION_NAME_TAG_KEY];
  if (present(functionNameKey)) {
    const keyFix = `Set ${ENV.FUNCTION_NAME_TAG_KEY} to a tag key that is not in ${ENV.SESSION_TAGS}, or leave it empty.`;
    const problem = describeTagKeyProblem(functionNameKey);
    if (problem) throw configurationError(ENV.FUNCTION_NAME_TAG_KEY, problem, keyFix);
    const clash = Object.keys(tags).find((key) => key.toLowerCase() === functionNameKey.toLowerCase());
    if (clash !== undefined) {
      throw configurationError(ENV.FUNCTION_NAME_TAG_KEY, `'${functionNameKey}' is also a key of ${ENV.SESSION_TAGS} ('${clash}'); STS treats tag keys case-insensitively.`, keyFix);
    }
    // Outside Lambda there is no function name to carry: the tag is left out rather than made up.
    const functionName = env[LAMBDA_ENV.FUNCTION_NAME];
    if (present(functionName)) tags[functionNameKey] = sanitizeTagValue(functionName);
  }
  const problem = describeSessionTagsProblem(tags);
  if (problem) throw configurationError(ENV.SESSION_TAGS, problem, fix);
  const entries = Object.entries(tags);
  return entries.length === 0 ? undefined : entries.map(([Key, Value]) => ({ Key, Value }));
}

function readSourceIdentity(value: string | undefined): string | undefined {
  if (!present(value)) return undefined;
  const problem = describeSourceIdentityProblem(value);
  if (problem) {
    throw configurationError(ENV.SOURCE_IDENTITY, problem,
      `Set ${ENV.SOURCE_IDENTITY} to 2–64 letters, digits and + = , . @ _ - (not starting with aws:), or leave it empty.`);
  }
  return value;
}

function readRegion(source: ConfigSource, validate: boolean): string | undefined {
  const candidates: [string, string | undefined][] = [
    ['The `region` option', source.region],
    [LAMBDA_ENV.REGION, source.env[LAMBDA_ENV.REGION]],
    [LAMBDA_ENV.DEFAULT_REGION, source.env[LAMBDA_ENV.DEFAULT_REGION]],
  ];
  for (const [name, value] of candidates) {
    if (!present(value)) continue;
    if (validate && !REGION_PATTERN.test(value)) {
      throw configurationError(name, `'${value}' is not a region name.`, 'Use a region code such as us-east-1 or eu-central-1.');
    }
    return value;
  }
  return undefined;
}

function readStsRegions(value: string | undefined): string[] | undefined {
  if (!present(value)) return undefined;
  const problem = describeStsRegionsProblem(value);
  if (problem) {
    throw configurationError(ENV.STS_REGIONS, problem,
      `Set ${ENV.STS_REGIONS} to comma-separated region codes, most preferred first (e.g. us-east-1,us-west-2), or leave it empty to call STS in the function's region.`);
  }
  return splitStsRegions(value);
}

function readDuration(value: string | undefined): number {
  if (!present(value)) return DEFAULT_DURATION_SECONDS;
  const { min, max } = DURATION_LIMITS;
  const fix = `Set ${ENV.DURATION_SECONDS} to a whole number of seconds from ${min} to ${max}, or leave it empty for ${DEFAULT_DURATION_SECONDS}.`;
  const seconds = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(seconds) || value.trim() !== value) {
    throw configurationError(ENV.DURATION_SECONDS, `'${value}' is not a number of seconds.`, fix);
  }
  const problem = describeDurationProblem(seconds);
  if (problem !== undefined) throw configurationError(ENV.DURATION_SECONDS, problem, fix);
  return seconds;
}

/**
 * The STS endpoint an injected environment configures, following the SDK's own precedence:
 * service-specific before global, nothing when configured endpoints are to be ignored.
 */
function configuredStsEndpoint(env: Environment): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true') return undefined;
  if (present(env.AWS_ENDPOINT_URL_STS)) return env.AWS_ENDPOINT_URL_STS;
  if (present(env.AWS_ENDPOINT_URL)) return env.AWS_ENDPOINT_URL;
  return undefined;
}

/** The identity of a role session: roles to assume with equal keys share one credential cache. */
export function roleSessionKey(role: RoleToAssume): string {
  return JSON.stringify([
    role.roleArn,
    role.externalId ?? null,
    role.sessionName,
    role.durationSeconds,
    role.stsRegions ?? [role.stsRegion],
    role.stsEndpoint ?? null,
    role.tags ?? null,
    role.sourceIdentity ?? null,
  ]);
}
