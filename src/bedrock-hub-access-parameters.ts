import { CfnCondition, CfnParameter } from 'aws-cdk-lib';

/**
 * The deploy-time parameters and condition that {@link BedrockHubAccess.fromParameters} adds to
 * its stack.
 */
export interface BedrockHubAccessParameters {
  /** `BedrockHubRoleArn`: the hub role's ARN; empty turns hub access off. */
  readonly hubRoleArn: CfnParameter;

  /** `BedrockHubRoleExternalId` (NoEcho): the ExternalId; empty sends none. */
  readonly externalId: CfnParameter;

  /** `BedrockHubRoleSessionName`: the RoleSessionName; empty uses the function's name. */
  readonly sessionName: CfnParameter;

  /**
   * `BedrockHubRoleEnabled`: true when `BedrockHubRoleArn` is not empty. Put it on your own
   * resources (`cfnOptions.condition`, `Fn.conditionIf`) that only make sense with a hub.
   */
  readonly enabled: CfnCondition;
}
