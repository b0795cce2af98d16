import { ENV } from './contract';

/**
 * The names of the environment variables that `BedrockHubAccess` sets on a function and the
 * runtime shim (`bedrock-hub-access/lambda-shim`) reads.
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

  /** `DurationSeconds` of the hub session, 900 to 3600. Absent: STS's default of one hour. */
  public static readonly DURATION_SECONDS: string = ENV.DURATION_SECONDS;

  /** Every variable above, in that order. */
  public static readonly ALL: string[] = [ENV.ROLE_ARN, ENV.EXTERNAL_ID, ENV.SESSION_NAME, ENV.DURATION_SECONDS];

  private constructor() {}
}
