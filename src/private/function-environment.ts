// The environment variables BedrockHubAccess owns on a function, and what it finds there when
// something else set them. Not part of the jsii surface.
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ENV } from '../contract';

/** The variables BedrockHubAccess sets, and so owns, on the functions it applies to: the whole contract. */
export const MANAGED_VARIABLES = [
  ENV.ROLE_ARN, ENV.EXTERNAL_ID, ENV.SESSION_NAME, ENV.DURATION_SECONDS,
  ENV.TARGETS, ENV.SESSION_TAGS, ENV.FUNCTION_NAME_TAG_KEY, ENV.SOURCE_IDENTITY,
  ENV.STS_REGIONS,
];

/** The property that sets each variable, for error messages. */
const VARIABLE_PROPERTY: Record<string, string> = {
  [ENV.ROLE_ARN]: 'hubRoleArn or hubRole',
  [ENV.EXTERNAL_ID]: 'externalId',
  [ENV.SESSION_NAME]: 'sessionName',
  [ENV.DURATION_SECONDS]: 'sessionDuration',
  [ENV.TARGETS]: 'targets, addTarget, addTargetRole',
  [ENV.SESSION_TAGS]: 'sessionTags',
  [ENV.FUNCTION_NAME_TAG_KEY]: 'functionNameTagKey',
  [ENV.SOURCE_IDENTITY]: 'sourceIdentity',
  [ENV.STS_REGIONS]: 'stsRegions',
};

/**
 * The function's environment variables as they will be rendered (tokens resolved). Resolving is
 * the costly part of the checks below: a caller that makes several of them reads it once and
 * passes it on.
 */
export function currentVariables(fn: lambda.Function): Record<string, unknown> {
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const environment = Stack.of(fn).resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined;
  return environment?.variables ?? {};
}

/**
 * The problem when the function already has one of the managed variables with a value other than
 * `ours`; `undefined` when there is none. Values are never repeated: one may be an ExternalId.
 *
 * @param owner how the message names the construct (`BedrockHubAccess '<path>'`)
 */
export function foreignVariableProblem(
  owner: string, fn: lambda.Function, ours: Partial<Record<string, string>>, current: Record<string, unknown> = currentVariables(fn),
): string | undefined {
  const stack = Stack.of(fn);
  for (const key of MANAGED_VARIABLES) {
    if (!(key in current)) continue;
    const expected = ours[key];
    if (expected !== undefined && JSON.stringify(stack.resolve(expected)) === JSON.stringify(current[key])) continue;
    return `${owner}: function '${fn.node.path}' has the environment variable ${key} set by other means to a value ` +
      `${expected === undefined ? 'that BedrockHubAccess does not set' : 'other than the one BedrockHubAccess sets'}. ` +
      `BedrockHubAccess owns ${MANAGED_VARIABLES.join(', ')} on the functions it applies to: remove ` +
      `${key} from the function's environment and configure it through BedrockHubAccess's properties (${VARIABLE_PROPERTY[key]}).`;
  }
  return undefined;
}

/** The variable the AWS SDKs and several AI libraries read a Bedrock API key (bearer token) from. */
export const BEARER_TOKEN_VARIABLE = 'AWS_BEARER_TOKEN_BEDROCK';

/**
 * Whether a function's environment variables ({@link currentVariables}) set {@link BEARER_TOKEN_VARIABLE}: libraries given the hub's
 * credentials prefer that key and call Bedrock without the hub. Only the name is read, never the value.
 */
export function setsBearerToken(variables: Record<string, unknown>): boolean {
  return BEARER_TOKEN_VARIABLE in variables;
}
