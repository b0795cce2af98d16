// The one AssumeRole policy per stack that BedrockHubAccess shares among all the roles, users and
// groups it grants to. Not part of the jsii surface.
import { IResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** A role, user or group: something an `iam.Policy` can be attached to. */
export interface PolicyHolder extends IResource {
  attachInlinePolicy(policy: iam.Policy): void;
}

/** The principal as a {@link PolicyHolder}, when it is one. */
export function asPolicyHolder(principal: iam.IPrincipal): PolicyHolder | undefined {
  const candidate = principal as Partial<PolicyHolder>;
  return Construct.isConstruct(principal) && typeof candidate.attachInlinePolicy === 'function'
    ? (principal as unknown as PolicyHolder)
    : undefined;
}

/**
 * The principal behind a grant, seen through the shared policy: adding the AssumeRole statement
 * means attaching that policy. Lets `iam.Grant.addToPrincipal` build a real, composable grant
 * without a statement per principal.
 */
export class SharedPolicyPrincipal implements iam.IPrincipal {
  public readonly grantPrincipal: iam.IPrincipal = this;

  constructor(private readonly principal: iam.IPrincipal, private readonly attach: () => iam.AddToPrincipalPolicyResult) {}

  public get assumeRoleAction(): string {
    return this.principal.assumeRoleAction;
  }

  public get policyFragment(): iam.PrincipalPolicyFragment {
    return this.principal.policyFragment;
  }

  public get principalAccount(): string | undefined {
    return this.principal.principalAccount;
  }

  public addToPrincipalPolicy(_statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    return this.attach();
  }

  public toString(): string {
    return this.principal.toString();
  }
}
