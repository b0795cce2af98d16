/**
 * The cfn-lint findings accepted in the templates under test, each with its reason, scoped to the
 * rule, the templates and the resources it concerns: synth.ts writes each one into the resource's
 * `Metadata.cfn-lint.config.ignore_checks` (cfn-lint's own per-resource switch) in the copies it
 * lints, and prints them. Anything else cfn-lint reports, error or warning, fails the check.
 * Errors are never suppressed here.
 */
export interface Suppression {
  /** A cfn-lint warning or informational rule id (`W…` / `I…`). */
  readonly rule: string;
  /** The templates (file names as synth.ts writes them) it applies to. */
  readonly template: RegExp;
  /** The resource type it applies to. */
  readonly resourceType: string;
  /** The resources' logical ids it applies to. @default every resource of the type */
  readonly logicalId?: RegExp;
  /** Why the finding is accepted: who produces it, and why it is harmless. */
  readonly reason: string;
}

export const SUPPRESSIONS: readonly Suppression[] = [
  {
    rule: 'W3005',
    template: /./,
    resourceType: 'AWS::Lambda::Function',
    reason: 'aws-cdk-lib\'s lambda.Function lists its execution role in DependsOn besides referencing it with Fn::GetAtt ' +
      '(with or without this library: example.WorkloadLocal has no BedrockHubAccess and gets it too); a redundant ordering, harmless.',
  },
  {
    rule: 'W3037',
    template: /DeployAssert/,
    resourceType: 'AWS::IAM::Role',
    logicalId: /^SingletonFunction[0-9a-f]{32}Role/,
    reason: '@aws-cdk/integ-tests-alpha\'s assertion provider grants "lambda:Invoke" (the SDK call\'s name) next to lambda:InvokeFunction ' +
      'for its invokeFunction assertion; written by that library, not this one, and only deployed by a real integ run.',
  },
];
