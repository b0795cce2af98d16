import { ENV } from './contract';

/**
 * The names of the environment variables that the runtime shim (`bedrock-hub-access/lambda-shim`)
 * reads, and that `BedrockHubAccess` sets on the functions it applies to.
 *
 * Use them when a handler written in another language reads the variables itself, or when a test
 * asserts on a synthesized function:
 *
 * ```ts
 * template.hasResourceProperties('AWS::Lambda::Function', {
 *   Environment: { Variables: { [BedrockHubEnvironment.ROLE_ARN]: hubRoleArn } },
 * });
 * ```
 */
export class BedrockHubEnvironment {
  /** ARN of the hub role to assume. Absent or empty: hub mode is off. */
  public static readonly ROLE_ARN: string = ENV.ROLE_ARN;

  /** Passed to `sts:AssumeRole` as `ExternalId`. Absent: no ExternalId is sent. */
  public static readonly EXTERNAL_ID: string = ENV.EXTERNAL_ID;

  /** `RoleSessionName` of the hub session. Absent: the function's name. */
  public static readonly SESSION_NAME: string = ENV.SESSION_NAME;

  /** `DurationSeconds` of the hub session, 900 to 3600. Absent: the runtime shim's default. */
  public static readonly DURATION_SECONDS: string = ENV.DURATION_SECONDS;

  /** Roles in further accounts: a JSON array of `{ "roleArn": "...", "externalId"?: "..." }`, one role per account. */
  public static readonly TARGETS: string = ENV.TARGETS;

  /** Static session tags: a JSON object of tag key to value, passed as `Tags` to every AssumeRole. */
  public static readonly SESSION_TAGS: string = ENV.SESSION_TAGS;

  /** When set, a session tag with this key carries the function's name. */
  public static readonly FUNCTION_NAME_TAG_KEY: string = ENV.FUNCTION_NAME_TAG_KEY;

  /** `SourceIdentity` of the hub session. */
  public static readonly SOURCE_IDENTITY: string = ENV.SOURCE_IDENTITY;

  /** STS regions to call AssumeRole in, most preferred first, comma-separated; the next is tried when one fails. */
  public static readonly STS_REGIONS: string = ENV.STS_REGIONS;

  /** Every variable of the contract between constructs and runtime shim. */
  public static readonly ALL: string[] = Object.values(ENV);

  private constructor() {}
}
