import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  functionSubnetIds,
  functionVpcIds,
  isFunctionInVpc,
  isImmutableRole,
  isSingletonFunction,
  stsEndpointsInApp,
} from '../../src/private/lambda-facts';
import { newFunction } from '../support/stacks';

describe('lambda facts', () => {
  test.each([
    ['a role defined here', (s: Stack) => new iam.Role(s, 'R', { assumedBy: new iam.AccountRootPrincipal() }), false],
    ['a mutable import', (s: Stack) => iam.Role.fromRoleArn(s, 'R', 'arn:aws:iam::444455556666:role/R'), false],
    ['an immutable import', (s: Stack) => iam.Role.fromRoleArn(s, 'R', 'arn:aws:iam::444455556666:role/R', { mutable: false }), true],
    ['withoutPolicyUpdates()', (s: Stack) => new iam.Role(s, 'R', { assumedBy: new iam.AccountRootPrincipal() }).withoutPolicyUpdates(), true],
  ])('isImmutableRole: %s → %s', (_name, role, immutable) => {
    expect(isImmutableRole(role(new Stack()))).toBe(immutable);
  });

  test('isSingletonFunction: the function behind a SingletonFunction, not one with a look-alike id deeper down', () => {
    const stack = new Stack();
    new lambda.SingletonFunction(stack, 'Singleton', {
      uuid: '6c4d5f1e-7a3b-4c2d-9e8f-0a1b2c3d4e5f',
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({});'),
    });
    const behind = stack.node.findChild('SingletonLambda6c4d5f1e7a3b4c2d9e8f0a1b2c3d4e5f') as lambda.Function;
    expect(isSingletonFunction(behind)).toBe(true);
    expect(isSingletonFunction(newFunction(stack, 'Plain'))).toBe(false);
    expect(isSingletonFunction(newFunction(new Construct(stack, 'Team'), 'Fn6c4d5f1e7a3b4c2d9e8f0a1b2c3d4e5f'))).toBe(false);
  });

  test('a function\'s VPC is known from its subnets and its security groups', () => {
    // GIVEN
    const stack = new Stack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const other = new ec2.Vpc(stack, 'Other', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const imported = ec2.Vpc.fromVpcAttributes(stack, 'Imported', { vpcId: 'vpc-1234', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-1'] });

    // WHEN
    const inVpc = newFunction(stack, 'InVpc', { vpc });
    const inImported = newFunction(stack, 'InImported', {
      vpc: imported,
      securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-1234')],
    });
    const outside = newFunction(stack, 'Outside');

    // THEN
    expect(functionVpcIds(inVpc)).toEqual([vpc.vpcId]);
    expect(functionSubnetIds(inVpc)).toEqual(vpc.isolatedSubnets.map((s) => s.subnetId));
    expect(isFunctionInVpc(inVpc, vpc)).toBe(true);
    expect(isFunctionInVpc(inVpc, other)).toBe(false);
    expect(functionVpcIds(inImported)).toEqual([]);
    expect(isFunctionInVpc(inImported, imported)).toBe(true);
    expect(isFunctionInVpc(outside, vpc)).toBe(false);
    expect(functionVpcIds(outside)).toEqual([]);
  });

  test.each([
    ['InterfaceVpcEndpointAwsService.STS', ec2.InterfaceVpcEndpointAwsService.STS, 1],
    ['the service name written out', new ec2.InterfaceVpcEndpointService('com.amazonaws.us-east-1.sts', 443), 1],
    ['another service', ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME, 0],
  ])('stsEndpointsInApp finds %s', (_name, service, count) => {
    const stack = new Stack(new App(), 'S', { env: { account: '444455556666', region: 'us-east-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    vpc.addInterfaceEndpoint('Endpoint', { service });
    const found = stsEndpointsInApp(stack);
    expect(found).toHaveLength(count);
    if (count) expect(found[0].vpcId).toBe(vpc.vpcId);
  });
});
