import { App, AspectPriority, Aspects, CustomResource, NestedStack, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { BedrockHubAccess, BedrockHubAccessAspect } from '../src';
import { HUB_ROLE_ARN, newFunction, newStack, WORKLOAD_ENV } from './support/stacks';
import { ENV } from '../src/contract';

/** Logical ids of the functions that got the role ARN variable. */
function hubFunctions(stack: Stack): string[] {
  return Object.entries(Template.fromStack(stack).findResources('AWS::Lambda::Function'))
    .filter(([, fn]: [string, any]) => fn.Properties.Environment?.Variables?.[ENV.ROLE_ARN] !== undefined)
    .map(([id]) => id)
    .sort();
}

/** Logical ids of the roles the shared AssumeRole policy is attached to. */
function grantedRoles(stack: Stack): string[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
    .filter((policy: any) => JSON.stringify(policy.Properties.PolicyDocument).includes('sts:AssumeRole'))
    .flatMap((policy: any) => policy.Properties.Roles.map((role: any) => role.Ref))
    .sort();
}

describe('BedrockHubAccess.applyToAll', () => {
  test('applies to every function in the scope, nested constructs and functions added later included', () => {
    // GIVEN
    const stack = newStack();
    newFunction(stack, 'Before');
    const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN });

    // WHEN
    hub.applyToAll(stack);
    const deep = new Construct(new Construct(stack, 'Team'), 'Service');
    newFunction(deep, 'After');

    // THEN
    expect(hubFunctions(stack)).toEqual([expect.stringMatching(/^Before/), expect.stringMatching(/^TeamServiceAfter/)]);
    expect(grantedRoles(stack)).toEqual([expect.stringMatching(/^BeforeServiceRole/), expect.stringMatching(/^TeamServiceAfterServiceRole/)]);
    expect(hub.functions.map((f) => f.node.path).sort()).toEqual(['Workload/Before', 'Workload/Team/Service/After']);
  });

  test('applies to functions in nested stacks, with a policy in the nested stack', () => {
    // GIVEN
    const stack = newStack();
    const nested = new NestedStack(stack, 'Nested');
    newFunction(nested, 'Fn');

    // WHEN
    new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN }).applyToAll(stack);

    // THEN
    expect(hubFunctions(nested)).toEqual([expect.stringMatching(/^Fn/)]);
    expect(grantedRoles(nested)).toEqual([expect.stringMatching(/^FnServiceRole/)]);
    expect(grantedRoles(stack)).toEqual([]);
  });

  test('in parameter mode, functions of nested stacks are switched by the parent\'s parameters', () => {
    // GIVEN
    const stack = newStack();
    const nested = new NestedStack(stack, 'Nested');
    newFunction(nested, 'Fn');

    // WHEN
    BedrockHubAccess.fromParameters(stack, 'Hub').applyToAll(stack);

    // THEN
    const template = Template.fromStack(nested);
    const [enabled] = Object.keys(template.findConditions('*', { 'Fn::Not': Match.anyValue() }));
    template.hasResource('AWS::IAM::Policy', { Condition: enabled });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { [ENV.ROLE_ARN]: { 'Fn::If': [enabled, { Ref: Match.stringLikeRegexp('BedrockHubRoleArn') }, { Ref: 'AWS::NoValue' }] } } },
    });
    const [nestedStackResource] = Object.values(Template.fromStack(stack).findResources('AWS::CloudFormation::Stack'));
    expect(Object.values(nestedStackResource.Properties.Parameters)).toEqual([
      { Ref: 'BedrockHubRoleArn' },
      { Ref: 'BedrockHubRoleExternalId' },
      { Ref: 'BedrockHubRoleSessionName' },
    ]);
  });

  test('leaves the functions of aws-cdk-lib\'s providers alone, with an info message', () => {
    // GIVEN
    const stack = newStack();
    new lambda.SingletonFunction(stack, 'Singleton', {
      uuid: 'f7d4f730-4ee1-11e8-9c2d-fa7ae01bbebc',
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({});'),
    });
    const onEvent = newFunction(stack, 'OnEvent');
    const provider = new cr.Provider(stack, 'Provider', { onEventHandler: onEvent });
    new CustomResource(stack, 'Resource', { serviceToken: provider.serviceToken });

    // WHEN
    new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN }).applyToAll(stack);

    // THEN
    expect(hubFunctions(stack)).toEqual([expect.stringMatching(/^OnEvent/)]);
    const annotations = Annotations.fromStack(stack);
    annotations.hasInfo('/Workload/SingletonLambdaf7d4f7304ee111e89c2dfa7ae01bbebc', Match.stringLikeRegexp('skipped this singleton provider function.*call applyTo on it'));
    annotations.hasInfo('/Workload/Provider/framework-onEvent', Match.stringLikeRegexp("skipped this function of the custom-resource provider framework 'Workload/Provider'"));
  });

  test('skips Lambda@Edge functions with an acknowledgeable warning', () => {
    // GIVEN
    const stack = newStack();
    new cloudfront.experimental.EdgeFunction(stack, 'Edge', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({});'),
    });

    // WHEN
    new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN }).applyToAll(stack);

    // THEN
    expect(hubFunctions(stack)).toEqual([]);
    Annotations.fromStack(stack).hasWarning('/Workload/Edge/Fn', Match.stringLikeRegexp(
      'skipped this Lambda@Edge function: Lambda@Edge allows no environment variables.*\\[ack: bedrock-hub-access:edgeFunctionSkipped\\]',
    ));
  });

  test('leaves out what is excluded', () => {
    // GIVEN
    const stack = newStack();
    const legacy = new Construct(stack, 'Legacy');
    newFunction(legacy, 'Old');
    const alone = newFunction(stack, 'Alone');
    newFunction(stack, 'Fn');

    // WHEN
    new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN }).applyToAll(stack, { exclude: [legacy, alone] });

    // THEN
    expect(hubFunctions(stack)).toEqual([expect.stringMatching(/^Fn/)]);
  });

  test('a function applied to directly by another BedrockHubAccess is left to it', () => {
    // GIVEN
    const stack = newStack();
    const special = newFunction(stack, 'Special');
    newFunction(stack, 'Fn');
    new BedrockHubAccess(stack, 'Default', { hubRoleArn: HUB_ROLE_ARN }).applyToAll(stack);

    // WHEN
    new BedrockHubAccess(stack, 'Research', { hubRoleArn: 'arn:aws:iam::777788889999:role/ResearchHub', functions: [special] });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { [ENV.ROLE_ARN]: 'arn:aws:iam::777788889999:role/ResearchHub' } },
      Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SpecialServiceRole'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { [ENV.ROLE_ARN]: HUB_ROLE_ARN } },
      Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnServiceRole'), 'Arn'] },
    });
    Annotations.fromStack(stack).hasInfo('/Workload/Special', Match.stringLikeRegexp("left this function to BedrockHubAccess 'Workload/Research'"));
  });

  test('two applyToAll over the same function is an error naming both', () => {
    // GIVEN
    const stack = newStack();
    newFunction(stack, 'Fn');

    // WHEN
    new BedrockHubAccess(stack, 'A', { hubRoleArn: HUB_ROLE_ARN }).applyToAll(stack);
    new BedrockHubAccess(stack, 'B', { hubRoleArn: 'arn:aws:iam::777788889999:role/OtherHub' }).applyToAll(stack);

    // THEN
    expect(() => Template.fromStack(stack)).toThrow(
      /BedrockHubAccess 'Workload\/B' \(hub role arn:aws:iam::777788889999:role\/OtherHub\) cannot apply to function 'Workload\/Fn': BedrockHubAccess 'Workload\/A' .* already does through applyToAll.*applyToAll takes an exclude option/,
    );
  });

  test('applyToAll twice, or together with applyTo, applies once', () => {
    // GIVEN
    const once = () => {
      const s = newStack();
      new BedrockHubAccess(s, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [newFunction(s, 'Fn')] });
      return s;
    };
    const stack = newStack();
    const fn = newFunction(stack, 'Fn');
    const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [fn] });

    // WHEN
    hub.applyToAll(stack);
    hub.applyToAll(stack);

    // THEN
    expect(Template.fromStack(stack).findResources('AWS::Lambda::Function')).toEqual(Template.fromStack(once()).findResources('AWS::Lambda::Function'));
    expect(hub.functions.length).toBe(1);
    expect(hub.functions[0]).toBe(fn);
  });

  test('in parameter mode, functions of other stacks are skipped with a warning', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Workload', { env: WORKLOAD_ENV });
    const other = new Stack(app, 'Other', { env: WORKLOAD_ENV });
    newFunction(stack, 'Fn');
    newFunction(other, 'Fn');

    // WHEN
    BedrockHubAccess.fromParameters(stack, 'Hub').applyToAll(app);

    // THEN
    expect(hubFunctions(stack)).toEqual([expect.stringMatching(/^Fn/)]);
    expect(hubFunctions(other)).toEqual([]);
    Annotations.fromStack(other).hasWarning('/Other/Fn', Match.stringLikeRegexp(
      "skipped this function: it is in stack 'Other', which the BedrockHubRoleArn parameter of stack 'Workload' cannot switch.*\\[ack: bedrock-hub-access:outsideParameterStack\\]",
    ));
  });

  test('the aspect runs before read-only aspects such as cdk-nag', () => {
    // GIVEN
    const stack = newStack();
    newFunction(stack, 'Fn');
    const seen: string[] = [];
    const recordEnvironment = {
      visit: (node: IConstruct) => {
        if (node instanceof lambda.Function) seen.push(JSON.stringify(stack.resolve((node.node.defaultChild as lambda.CfnFunction).environment)));
      },
    };
    Aspects.of(stack).add(recordEnvironment, { priority: AspectPriority.READONLY });

    // WHEN
    new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN }).applyToAll(stack);
    Template.fromStack(stack);

    // THEN
    expect(seen[0]).toContain(ENV.ROLE_ARN);
  });

  test('can be added with a priority of one\'s choosing', () => {
    const stack = newStack();
    newFunction(stack, 'Fn');
    const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN });
    Aspects.of(stack).add(new BedrockHubAccessAspect(hub), { priority: AspectPriority.DEFAULT });
    expect(hubFunctions(stack)).toEqual([expect.stringMatching(/^Fn/)]);
  });
});
