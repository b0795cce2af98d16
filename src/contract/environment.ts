/**
 * The names of the environment variables that carry the contract: what the constructs write on a
 * Lambda function and the runtime shim reads.
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
  /**
   * STS regions to call AssumeRole in, most preferred first, comma-separated (`us-east-1,us-west-2`):
   * when one answers 5xx or cannot be reached, the next is tried. Absent or empty: the function's region.
   */
  STS_REGIONS: 'BEDROCK_ASSUME_ROLE_STS_REGIONS',
} as const;

/**
 * Standard Lambda variables the shim reads (Lambda Developer Guide, "Defined runtime environment
 * variables"). A process with both `FUNCTION_NAME` and `RUNTIME_API` set runs inside the Lambda
 * runtime: only there do the shims start AssumeRole during INIT.
 */
export const LAMBDA_ENV = {
  FUNCTION_NAME: 'AWS_LAMBDA_FUNCTION_NAME',
  REGION: 'AWS_REGION',
  DEFAULT_REGION: 'AWS_DEFAULT_REGION',
  RUNTIME_API: 'AWS_LAMBDA_RUNTIME_API',
} as const;
