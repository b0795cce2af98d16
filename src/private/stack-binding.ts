// What BedrockHubAccess holds per stack it reaches: the anchor for its resources there, the
// parameter-mode conditions, the environment every function of the stack gets, and the shared
// AssumeRole policy. Not part of the jsii surface.
import { Names, Stack, Token, TokenComparison } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { ENV } from '../contract';
import { describeConstruct } from './errors';
import { isImmutableRole } from './lambda-facts';
import { Conditions, conditional, conditionsOf, isSameOrNestedIn, PARAMETER, ParameterSet } from './parameter-mode';
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
  /** `BEDROCK_ASSUME_ROLE_STS_REGIONS`: comma-separated region codes. */
  readonly stsRegions?: string;
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
    [ENV.STS_REGIONS]: optional(settings.stsRegions),
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

/** Where parameter mode's parameters and conditions live. */
export interface DeployTime {
  readonly home: Stack;
  readonly conditions: Conditions;
  readonly parameters: ParameterSet;
}

/** The bindings of one BedrockHubAccess, one per stack it reaches. */
export class StackBindings {
  private readonly bindings = new Map<Stack, StackBinding>();

  /**
   * @param owner the BedrockHubAccess
   * @param settings the environment settings for a stack
   * @param deployTime parameter mode's home stack, when in parameter mode
   */
  constructor(
    private readonly owner: Construct,
    private readonly settings: (stack: Stack) => EnvironmentSettings,
    private readonly deployTime: () => DeployTime | undefined,
  ) {}

  /** The binding for a stack, made on first use: its conditions (parameter mode) and environment values. */
  public for(stack: Stack, subject: IConstruct): StackBinding {
    const existing = this.bindings.get(stack);
    if (existing) return existing;

    const anchor = stack === Stack.of(this.owner) ? this.owner : new Construct(stack, `BedrockHubAccess${Names.uniqueId(this.owner)}`);
    const deployTime = this.deployTime();
    let conditions: Conditions | undefined;
    if (deployTime) {
      if (!isSameOrNestedIn(stack, deployTime.home)) {
        throw new Error(
          `${describeConstruct(this.owner)}: '${subject.node.path}' is in stack '${stack.node.path}', but the ${PARAMETER.ROLE_ARN} parameter that switches hub access ` +
          `on and off is in stack '${deployTime.home.node.path}', and a CloudFormation condition cannot reach another stack. ` +
          `Call BedrockHubAccess.fromParameters in stack '${stack.node.path}' for its functions.`,
        );
      }
      conditions = stack === deployTime.home
        ? deployTime.conditions
        : conditionsOf(anchor, deployTime.parameters, { enabled: 'Enabled', externalIdSet: 'ExternalIdSet', sessionNameSet: 'SessionNameSet' });
    }
    const binding: StackBinding = { anchor, conditions, environment: stackEnvironment(stack, this.settings(stack), conditions) };
    this.bindings.set(stack, binding);
    return binding;
  }

  /**
   * A target role was added: its ARN goes into every shared statement; with the first target, every
   * stack's environment gets `BEDROCK_ASSUME_ROLE_TARGETS`.
   */
  public addTarget(roleArn: string, first: boolean): void {
    for (const binding of this.bindings.values()) binding.statement?.addResources(roleArn);
    if (!first) return;
    for (const [stack, binding] of this.bindings) {
      binding.environment[ENV.TARGETS] = conditional(binding.conditions?.enabled, this.settings(stack).targets!);
    }
  }
}
