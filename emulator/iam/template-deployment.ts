/**
 * What one template deploys, asked without an emulator: its resources as CloudFormation would
 * create them for given parameter values, and its IAM roles with their trust policy and every
 * identity policy the template attaches to them, for {@link evaluateAccess} (access-evaluation.ts).
 * Resolution is the emulator's own ({@link resolveTemplate}).
 */
import type { NamedPolicy, PolicyDocument } from './identities';
import { CfnTemplate, DeployedResource, deployedResources, ResolvedStack, resolveTemplate, TemplateSource } from './templates';

/** Where a template is deployed. */
export interface TemplateEnvironment {
  readonly account: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** The stack name, part of generated physical names. @default 'Stack' */
  readonly stackName?: string;
  /** Parameter values. @default - each parameter's Default */
  readonly parameters?: Readonly<Record<string, string>>;
}

/** An IAM role of a template, with its policies as IAM would see them. */
export interface DeployedRole {
  readonly logicalId: string;
  readonly roleName: string;
  readonly path: string;
  readonly arn: string;
  readonly trustPolicy: PolicyDocument;
  /** Its inline policies, and the template's `AWS::IAM::Policy`, `RolePolicy` and `ManagedPolicy` resources attached to it. */
  readonly identityPolicies: NamedPolicy[];
  /** Managed policies attached by an ARN the template does not define (e.g. AWS managed policies): not evaluated. */
  readonly externalManagedPolicyArns: string[];
  readonly maxSessionDurationSeconds: number;
}

function sourceOf(template: CfnTemplate, env: TemplateEnvironment): TemplateSource {
  return { template, accountId: env.account, region: env.region, stackName: env.stackName ?? 'Stack', parameters: env.parameters };
}

/** Everything the template creates in `env`: roles, policies, functions, Bedrock resources, with their ARNs. */
export function deploymentOf(template: CfnTemplate, env: TemplateEnvironment): ResolvedStack {
  return resolveTemplate(sourceOf(template, env));
}

/** The resources the template creates in `env`, with every intrinsic function resolved (see {@link deployedResources}). */
export function resourcesIn(template: CfnTemplate, env: TemplateEnvironment): Record<string, DeployedResource> {
  return deployedResources(sourceOf(template, env));
}

/** Every `AWS::IAM::Role` the template creates in `env` (resources whose `Condition` is false are left out). */
export function rolesIn(template: CfnTemplate, env: TemplateEnvironment): DeployedRole[] {
  const stack = deploymentOf(template, env);
  return stack.roles.map((role) => {
    const attached = stack.policies.filter((p) => p.roleNames.includes(role.roleName) && !p.managedPolicyArn);
    const managed = role.managedPolicyArns.map((arn) => ({ arn, local: stack.policies.find((p) => p.managedPolicyArn === arn) }));
    return {
      logicalId: role.logicalId,
      roleName: role.roleName,
      path: role.path,
      arn: role.arn,
      trustPolicy: role.trustPolicy,
      identityPolicies: [
        ...role.policies,
        ...attached.map((p) => p.policy),
        ...managed.flatMap((m) => (m.local ? [m.local.policy] : [])),
        ...stack.policies.filter((p) => p.managedPolicyArn && p.roleNames.includes(role.roleName)).map((p) => p.policy),
      ],
      externalManagedPolicyArns: managed.filter((m) => !m.local).map((m) => m.arn),
      maxSessionDurationSeconds: role.maxSessionDurationSeconds,
    };
  });
}

/** The one role of the template that `predicate` picks (throws unless there is exactly one). */
export function roleIn(template: CfnTemplate, env: TemplateEnvironment, predicate: (role: DeployedRole) => boolean = () => true): DeployedRole {
  const matches = rolesIn(template, env).filter(predicate);
  if (matches.length !== 1) {
    throw new Error(`expected exactly one matching role in the template, found ${matches.length}: ${matches.map((r) => r.logicalId).join(', ')}`);
  }
  return matches[0];
}
