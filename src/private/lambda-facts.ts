// Read-only facts about functions, roles and VPC endpoints, learned from public construct APIs.
// Not part of the jsii surface.
import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { IConstruct } from 'constructs';

/**
 * True for a role that ignores every mutation: `Role.fromRoleArn(…, { mutable: false })` and
 * `role.withoutPolicyUpdates()`. aws-cdk-lib does not export that class, but it does publish its
 * property-injection id, which is stable public API.
 */
export function isImmutableRole(role: iam.IRole): boolean {
  const ctor = role.constructor as { PROPERTY_INJECTION_ID?: string };
  return ctor.PROPERTY_INJECTION_ID === 'aws-cdk-lib.aws-iam.ImmutableRole';
}

/** The last verdict per trust policy, with the statement count it was reached at. */
const edgeVerdicts = new WeakMap<iam.PolicyDocument, { readonly statements: number; readonly edge: boolean }>();

/**
 * True for a function whose role trusts `edgelambda.amazonaws.com`, which every Lambda@Edge
 * function needs (`cloudfront.experimental.EdgeFunction` adds it). Such functions cannot have
 * environment variables.
 *
 * Asked several times per function (applyToAll's visit, apply, validation), so the verdict is kept
 * per trust policy until a statement is added to it; and only the policy's rendered JSON is
 * resolved, not the document itself (resolving a document freezes and merges its statements).
 */
export function isLambdaAtEdge(fn: lambda.Function): boolean {
  const role = fn.role as iam.Role | undefined;
  const trust = role?.assumeRolePolicy;
  if (!trust) return false;
  const known = edgeVerdicts.get(trust);
  if (known && known.statements === trust.statementCount) return known.edge;
  let edge: boolean;
  try {
    // Resolving is the costly part: only a trust policy with tokens in it needs it.
    const written = JSON.stringify(trust.toJSON() ?? {});
    edge = /edgelambda\./.test(Token.isUnresolved(written) ? JSON.stringify(Stack.of(role).resolve(written)) : written);
  } catch {
    edge = false;
  }
  edgeVerdicts.set(trust, { statements: trust.statementCount, edge });
  return edge;
}

/**
 * True for the function behind a `lambda.SingletonFunction`: a direct child of its stack whose id
 * ends in the 32 hex digits of the singleton's UUID. aws-cdk-lib's own providers are singletons
 * (`s3deploy.BucketDeployment`, `cr.AwsCustomResource`, the integ-tests assertion provider…).
 */
export function isSingletonFunction(fn: lambda.Function): boolean {
  return Stack.isStack(fn.node.scope) && /[0-9a-f]{32}$/i.test(fn.node.id);
}

/**
 * The `cr.Provider` (custom-resource provider framework) the function belongs to, or `undefined`.
 * Its functions relay CloudFormation events to the user's handler and never call Bedrock.
 */
export function providerFrameworkOf(fn: lambda.Function): cr.Provider | undefined {
  return fn.node.scopes.find((scope): scope is cr.Provider => scope instanceof cr.Provider);
}

/** The subnet ids a function is attached to (tokens or literals, as written), or `[]`. */
export function functionSubnetIds(fn: lambda.Function): string[] {
  const cfn = fn.node.defaultChild as lambda.CfnFunction | undefined;
  const config = cfn?.vpcConfig as lambda.CfnFunction.VpcConfigProperty | undefined;
  const ids = config?.subnetIds;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

/**
 * The VPC ids (tokens or literals, as written) of the function's security groups that this app
 * defines. A function's VPC is known from them even where its subnets are not.
 */
export function functionVpcIds(fn: lambda.Function): string[] {
  if (!fn.isBoundToVpc) return [];
  const ids = new Set<string>();
  for (const sg of fn.connections.securityGroups) {
    const cfn = sg.node.defaultChild;
    if (cfn instanceof ec2.CfnSecurityGroup && typeof cfn.vpcId === 'string') ids.add(cfn.vpcId);
  }
  return [...ids];
}

/** Every subnet id of a VPC object, public, private and isolated. */
export function vpcSubnetIds(vpc: ec2.IVpc): string[] {
  return [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets].map((s) => s.subnetId);
}

/** True when the function is attached to `vpc`, judged by its subnets or security groups. */
export function isFunctionInVpc(fn: lambda.Function, vpc: ec2.IVpc): boolean {
  if (!fn.isBoundToVpc) return false;
  if (functionVpcIds(fn).includes(vpc.vpcId)) return true;
  const subnets = new Set(vpcSubnetIds(vpc));
  return functionSubnetIds(fn).some((id) => subnets.has(id));
}

/** An STS interface endpoint defined somewhere in the app. */
export interface FoundStsEndpoint {
  readonly endpoint: ec2.InterfaceVpcEndpoint;
  readonly vpcId: string;
  readonly subnetIds: string[];
}

/** True when the endpoint's service is STS in its stack's region, however the name was written. */
function isStsService(cfn: ec2.CfnVPCEndpoint): boolean {
  const stack = Stack.of(cfn);
  const resolved = (value: unknown) => JSON.stringify(stack.resolve(value));
  return resolved(cfn.serviceName) === resolved(ec2.InterfaceVpcEndpointAwsService.STS.name);
}

/** Every STS interface VPC endpoint defined in the app that contains `scope`. */
export function stsEndpointsInApp(scope: IConstruct): FoundStsEndpoint[] {
  const found: FoundStsEndpoint[] = [];
  for (const node of scope.node.root.node.findAll()) {
    if (!(node instanceof ec2.InterfaceVpcEndpoint)) continue;
    const cfn = node.node.defaultChild;
    if (!(cfn instanceof ec2.CfnVPCEndpoint)) continue;
    if (!isStsService(cfn)) continue;
    const subnetIds = Array.isArray(cfn.subnetIds) ? cfn.subnetIds.filter((id): id is string => typeof id === 'string') : [];
    found.push({ endpoint: node, vpcId: cfn.vpcId, subnetIds });
  }
  return found;
}

/** True when `endpoint` serves the VPC the function is attached to. */
export function endpointServesFunction(endpoint: FoundStsEndpoint, fn: lambda.Function): boolean {
  if (functionVpcIds(fn).includes(endpoint.vpcId)) return true;
  const subnets = new Set(endpoint.subnetIds);
  return functionSubnetIds(fn).some((id) => subnets.has(id));
}
