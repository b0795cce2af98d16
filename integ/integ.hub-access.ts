// A function calls Bedrock through BedrockHubAccess and the runtime shim, with the "hub" role in
// the same account (one account is all a deployment of this test needs). The assertion invokes
// the function and checks that the call was made as the hub role, under the configured session.
import * as path from 'path';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Annotations, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { BedrockHubAccess } from '../src';

const MODEL_ID = 'amazon.nova-micro-v1:0';
const SESSION_NAME = 'integ-hub-access';

const app = new App();
const stack = new Stack(app, 'BedrockHubAccessInteg');

const fn = new NodejsFunction(stack, 'Converse', {
  entry: path.join(__dirname, 'hub-access-handler.ts'),
  runtime: lambda.Runtime.NODEJS_22_X,
  architecture: lambda.Architecture.ARM_64,
  timeout: Duration.seconds(30),
  environment: { MODEL_ID },
  bundling: { format: OutputFormat.CJS, minify: false, sourceMap: false },
});

// The hub role: trusts exactly the function's role, may invoke exactly one model.
const hubRole = new iam.Role(stack, 'HubRole', {
  assumedBy: new iam.ArnPrincipal(fn.role!.roleArn),
  description: 'Stands in for the Bedrock hub account role in the integration test',
});
hubRole.addToPolicy(new iam.PolicyStatement({
  actions: ['bedrock:InvokeModel'],
  resources: [stack.formatArn({ service: 'bedrock', account: '', resource: 'foundation-model', resourceName: MODEL_ID })],
}));

const hubAccess = new BedrockHubAccess(stack, 'HubAccess', {
  hubRoleArn: hubRole.roleArn,
  sessionName: SESSION_NAME,
  sessionDuration: Duration.minutes(15),
  functions: [fn],
});
Annotations.of(hubAccess).acknowledgeWarning('bedrock-hub-access:hubRoleInSameAccount', 'The test deploys hub and workload into one account.');

const integ = new IntegTest(app, 'HubAccessTest', {
  testCases: [stack],
  diffAssets: false,
  regions: ['us-east-1'],
});

integ.assertions
  .invokeFunction({ functionName: fn.functionName })
  .expect(ExpectedResult.objectLike({
    StatusCode: 200,
    Payload: Match.serializedJson({
      hubMode: true,
      roleArn: hubRole.roleArn,
      account: stack.account,
      sessionName: SESSION_NAME,
      answered: true,
    }),
  }));

app.synth();
