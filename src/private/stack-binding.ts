// What BedrockHubAccess holds per stack it reaches: the anchor for its resources there, the
// parameter-mode conditions, the environment every function of the stack gets, and the shared
// AssumeRole policy. Not part of the jsii surface.
import { Stack, Token, TokenComparison } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ENV } from '../contract';
import { isImmutableRole } from './lambda-facts';
import { Conditions, conditional } from './parameter-mode';
import { PolicyHolder } from './shared-policy';

/** What one stack holds for a BedrockHubAccess. */
export interface StackBinding {
  readonly anchor: Construct;
  readonly conditions?: Conditions;
  /** The variables every function of the stack gets; `BEDROCK_ASSUME_ROLE_TARGETS` only once there is a target. */
  readonly environment: Partial<Record<string, string>>;
  policy?: iam.Policy;
  /** The statement of `policy`: sts:AssumeRole & co. on the hub role and every target role. */
  statement?: iam.PolicyStatement;
}

/** The settings a stack's environment is made of (tokens allowed). */
export interface EnvironmentSettings {
  readonly hubRoleArn: string;
  readonly externalId?: string;
  readonly sessionName?: string;
  readonly durationSeconds?: string;
  /** `BEDROCK_ASSUME_ROLE_TARGETS` for this stack, when there is a target. */
  readonly targets?: string;
  readonly sessionTags?: { [key: string]: string };
  readonly functionNameTagKey?: string;
  readonly sourceIdentity?: string;
}

/** The `BEDROCK_ASSUME_ROLE_*` variables of a stack, each conditional in parameter mode. */
export function stackEnvironment(stack: Stack, settings: EnvironmentSettings, conditions: Conditions | undefined): Partial<Record<string, string>> {
  const optional = (value: string | undefined, condition = conditions?.enabled) => (value === undefined ? undefined : conditional(condition, value));
  return {
    [ENV.ROLE_ARN]: conditional(conditions?.enabled, settings.hubRoleArn),
    [ENV.EXTERNAL_ID]: optional(settings.externalId, conditions?.externalIdSet),
    [ENV.SESSION_NAME]: optional(settings.sessionName, conditions?.sessionNameSet),
    [ENV.DURATION_SECONDS]: optional(settings.durationSeconds),
    [ENV.TARGETS]: optional(settings.targets),
    [ENV.SESSION_TAGS]: optional(settings.sessionTags === undefined ? undefined : stack.toJsonString(settings.sessionTags)),
    [ENV.FUNCTION_NAME_TAG_KEY]: optional(settings.functionNameTagKey),
    [ENV.SOURCE_IDENTITY]: optional(settings.sourceIdentity),
  };
}

/**
 * Attaches the stack's shared AssumeRole policy (created on first use, conditional in parameter
 * mode) to a role, user or group, if it accepts policies.
 */
export function attachSharedPolicy(
  binding: StackBinding, holder: PolicyHolder, actions: string[], resources: string[],
): iam.AddToPrincipalPolicyResult {
  if (isImmutableRole(holder as unknown as iam.IRole)) return { statementAdded: false };
  if (!binding.policy) {
    binding.statement = new iam.PolicyStatement({ sid: 'AssumeBedrockHubRole', actions, resources });
    binding.policy = new iam.Policy(binding.anchor, 'AssumeHubRolePolicy', { statements: [binding.statement] });
    if (binding.conditions) {
      (binding.policy.node.defaultChild as iam.CfnPolicy).cfnOptions.condition = binding.conditions.enabled;
    }
  }
  if (Token.compareStrings(holder.env.account, binding.policy.env.account) === TokenComparison.DIFFERENT) {
    return { statementAdded: false };
  }
  holder.attachInlinePolicy(binding.policy);
  return { statementAdded: true, policyDependable: binding.policy };
}
