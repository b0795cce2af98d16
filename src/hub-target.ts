/** Options of a target role, see {@link BedrockHubAccess.addTarget}. */
export interface HubTargetOptions {
  /**
   * `ExternalId` passed to `sts:AssumeRole` of this role (each target has its own). 2 to 1224
   * characters of letters, digits and `+=,.@:/_-`.
   *
   * @default - none; with `addTargetRole`, the BedrockHubRole's `externalId`
   */
  readonly externalId?: string;

  /**
   * The account the role is expected in (12 digits): checked against the role ARN, to catch an ARN
   * copied from the wrong account.
   *
   * @default - the role ARN's account, unchecked
   */
  readonly account?: string;
}

/**
 * A role in a further account, assumed for the resources that live there (agents, knowledge
 * bases, …): the runtime shim's `hub.forAccount(account)` and `hub.forResource(arn)` sign as it.
 */
export interface HubTarget extends HubTargetOptions {
  /** The role's ARN, e.g. `arn:aws:iam::333333333333:role/BedrockAgentsRole`. One role per account, none in the hub role's account. */
  readonly roleArn: string;
}
