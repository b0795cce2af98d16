/**
 * The function's environment, read and validated once, into the settings of the hub session.
 *
 * Names, patterns and limits come from the shared contract (`src/contract.ts`), the same module the
 * constructs validate with, so a value the construct accepts is a value the shim accepts.
 */

import { configurationError } from './errors';
import {
  DURATION_LIMITS,
  ENV,
  LAMBDA_ENV,
  describeDurationProblem,
  describeExternalIdProblem,
  describeRoleArnProblem,
  describeSessionNameProblem,
  parseRoleArn,
  sanitizeSessionName,
} from '../src/contract';

/** Variables the shim reads, as in `process.env`. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** `DurationSeconds` when {@link ENV.DURATION_SECONDS} is not set: the role-chaining maximum. */
export const DEFAULT_DURATION_SECONDS = DURATION_LIMITS.max;

/**
 * One role to assume, and everything that makes its sessions distinct. A hub session has one today;
 * the shape allows several (one per target account or resource) with a cache each.
 */
export interface RoleTarget {
  readonly roleArn: string;
  /** The role's account: the account every assumed session must be in. */
  readonly account: string;
  readonly partition: string;
  /** Secret: never logged, never part of a message. */
  readonly externalId?: string;
  readonly sessionName: string;
  readonly durationSeconds: number;
  /** STS is always called in this region, on its regional endpoint. */
  readonly stsRegion: string;
  /**
   * An STS endpoint read from an injected environment (`AWS_ENDPOINT_URL_STS`, then
   * `AWS_ENDPOINT_URL`). Unset when the shim reads `process.env`: the SDK then resolves the
   * configured endpoint itself, config files included.
   */
  readonly stsEndpoint?: string;
}

/** The validated settings of a hub session. */
export interface HubConfig {
  /** The region clients are built for; undefined only when hub mode is off and no region is set. */
  readonly region?: string;
  /** The hub role; undefined when hub mode is off. */
  readonly target?: RoleTarget;
}

/** Where the settings come from. */
export interface ConfigSource {
  readonly env: Environment;
  /** Overrides the region variables. */
  readonly region?: string;
}

const REGION_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)+$/;

function present(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

/**
 * Reads and validates the hub settings. Throws a `BedrockHubError` of layer `configuration` that
 * names the variable and the fix for the first unusable value.
 */
export function readHubConfig(source: ConfigSource): HubConfig {
  const { env } = source;
  const roleArn = env[ENV.ROLE_ARN];
  // Hub mode off: nothing is validated, nothing changes.
  if (!present(roleArn)) return { region: readRegion(source, false) };
  const region = readRegion(source, true);

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

  const sessionName = present(env[ENV.SESSION_NAME])
    ? env[ENV.SESSION_NAME] as string
    : sanitizeSessionName(env[LAMBDA_ENV.FUNCTION_NAME] ?? '');
  const sessionNameProblem = describeSessionNameProblem(sessionName);
  if (sessionNameProblem !== undefined) {
    throw configurationError(ENV.SESSION_NAME, sessionNameProblem,
      `Fix ${ENV.SESSION_NAME}, or leave it empty to use the function name (${LAMBDA_ENV.FUNCTION_NAME}), made valid.`);
  }

  const durationSeconds = readDuration(env[ENV.DURATION_SECONDS]);

  if (region === undefined) {
    throw configurationError(LAMBDA_ENV.REGION, 'is not set, so there is no region to call STS and Bedrock in.',
      `Set ${LAMBDA_ENV.REGION} (Lambda always does), or pass the \`region\` option to getBedrockHubSession().`);
  }

  return {
    region,
    target: {
      roleArn,
      account: parts.account,
      partition: parts.partition,
      externalId: present(externalId) ? externalId : undefined,
      sessionName,
      durationSeconds,
      stsRegion: region,
      stsEndpoint: source.env === process.env ? undefined : configuredStsEndpoint(env),
    },
  };
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

/** The identity of a role session: targets with equal keys share one credential cache. */
export function roleTargetKey(target: RoleTarget): string {
  return JSON.stringify([
    target.roleArn,
    target.externalId ?? null,
    target.sessionName,
    target.durationSeconds,
    target.stsRegion,
    target.stsEndpoint ?? null,
  ]);
}
