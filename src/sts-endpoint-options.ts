import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** Options of {@link BedrockHubAccess.addStsEndpoint}. */
export interface StsEndpointOptions {
  /**
   * Subnets to place the endpoint's network interfaces in, at most one per Availability Zone.
   *
   * @default - the VPC's private subnets, one per Availability Zone (the `InterfaceVpcEndpoint` default)
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * Security groups of the endpoint. Functions that hub access applies to are allowed in on
   * port 443 in any case.
   *
   * @default - a new security group that admits only the functions hub access applies to
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
}
