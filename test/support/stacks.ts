/**
 * The workload side the construct tests build on: a stack in the workload account and plain
 * Node.js functions, with the hub role they are pointed at.
 */
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** The hub role the workload assumes, in another account than the workload. */
export const HUB_ROLE_ARN = 'arn:aws:iam::111122223333:role/BedrockHubRole';

/** The workload's account and region. */
export const WORKLOAD_ENV = { account: '444455556666', region: 'us-east-1' };

/** A stack named `Workload`, by default in the workload's account and region, in a new app. */
export function newStack(props: StackProps = { env: WORKLOAD_ENV }, app = new App()): Stack {
  return new Stack(app, 'Workload', props);
}

/** A Node.js function with inline code; `props` override any of it. */
export function newFunction(scope: Construct, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({});'),
    ...props,
  });
}
