// The STS interface endpoints BedrockHubAccess adds or finds for the VPCs of its functions, and the
// warning for a VPC function with none. Not part of the jsii surface.
import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { endpointServesFunction, isFunctionInVpc, stsEndpointsInApp } from './lambda-facts';
import { warn } from './warnings';

const STS_INGRESS_DESCRIPTION = 'sts:AssumeRole of the Bedrock hub role (BedrockHubAccess)';

/** The STS endpoints one BedrockHubAccess manages, one per VPC. */
export class StsEndpoints {
  private readonly endpoints: { readonly vpc: ec2.IVpc; readonly endpoint: ec2.InterfaceVpcEndpoint }[] = [];

  /** @param owner the BedrockHubAccess: new endpoints are its children */
  constructor(private readonly owner: Construct) {}

  /** The endpoint of `vpc`: known, found in the app, or new; open to the `functions` in it. */
  public add(
    vpc: ec2.IVpc, options: { subnets?: ec2.SubnetSelection; securityGroups?: ec2.ISecurityGroup[] }, functions: readonly lambda.Function[],
  ): ec2.InterfaceVpcEndpoint {
    const known = this.endpoints.find((e) => e.vpc === vpc || e.vpc.vpcId === vpc.vpcId);
    if (known) return known.endpoint;

    const existing = stsEndpointsInApp(this.owner).find((e) => e.vpcId === vpc.vpcId);
    const id = this.endpoints.length === 0 ? 'StsEndpoint' : `StsEndpoint${this.endpoints.length + 1}`;
    const endpoint = existing?.endpoint ?? new ec2.InterfaceVpcEndpoint(this.owner, id, {
      vpc,
      service: ec2.InterfaceVpcEndpointAwsService.STS,
      privateDnsEnabled: true,
      open: false,
      subnets: options.subnets,
      securityGroups: options.securityGroups,
    });
    this.endpoints.push({ vpc, endpoint });
    for (const fn of functions) {
      if (isFunctionInVpc(fn, vpc)) endpoint.connections.allowDefaultPortFrom(fn, STS_INGRESS_DESCRIPTION);
    }
    return endpoint;
  }

  /** Opens the endpoints of the function's VPC to it. */
  public allowFrom(fn: lambda.Function): void {
    for (const { vpc, endpoint } of this.endpoints) {
      if (isFunctionInVpc(fn, vpc)) endpoint.connections.allowDefaultPortFrom(fn, STS_INGRESS_DESCRIPTION);
    }
  }

  /** Warns on each VPC function whose VPC has no STS endpoint in this app. */
  public warnWhereMissing(functions: readonly lambda.Function[]): void {
    let appEndpoints: ReturnType<typeof stsEndpointsInApp> | undefined;
    for (const fn of functions) {
      if (!fn.isBoundToVpc || this.endpoints.some((e) => isFunctionInVpc(fn, e.vpc))) continue;
      appEndpoints ??= stsEndpointsInApp(this.owner);
      if (appEndpoints.some((e) => endpointServesFunction(e, fn))) continue;
      warn(fn, 'NO_STS_ENDPOINT',
        'This function runs in a VPC for which this app defines no STS interface endpoint. Unless its subnets reach the internet through a NAT gateway, ' +
        'sts:AssumeRole of the Bedrock hub role will hang or fail, and with it every Bedrock call. ' +
        `Add one with addStsEndpoint(vpc) on BedrockHubAccess '${this.owner.node.path}', or acknowledge this warning if the VPC has an STS endpoint or NAT route defined elsewhere.`,
      );
    }
  }

  /**
   * Warns on each VPC function with STS regions other than its own. An STS interface endpoint
   * serves its own region only and cannot be in a VPC of another region, so another region's STS
   * is reached only through a NAT gateway or internet route, which the construct cannot see from
   * the function (its subnets' route tables may be defined anywhere): so it warns, and the warning
   * may be acknowledged where such a route exists.
   */
  public warnNoRouteToOtherRegions(functions: readonly lambda.Function[], stsRegions: readonly string[]): void {
    for (const fn of functions) {
      if (!fn.isBoundToVpc) continue;
      const home = Stack.of(fn).region;
      // An environment-agnostic stack: the first listed region stands for the function's own.
      const others = stsRegions.filter((region, i) => (Token.isUnresolved(home) ? i > 0 : region !== home));
      if (others.length === 0) continue;
      warn(fn, 'NO_STS_ROUTE_TO_FALLBACK_REGION',
        `This function runs in a VPC, and stsRegions names ${others.join(', ')}, outside its own region: an STS interface endpoint serves only ` +
        'its own region, so the function reaches those regions\' STS only through a NAT gateway or internet route. Without one, failing over ' +
        'to them costs a connection timeout and fails. Route the subnets to the internet through a NAT gateway, or remove those regions from ' +
        `stsRegions on BedrockHubAccess '${this.owner.node.path}'; acknowledge this warning if the route exists.`,
      );
    }
  }
}
