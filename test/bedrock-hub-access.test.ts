import { Annotations as CoreAnnotations, App, Aspects, CfnParameter, Duration, NestedStack, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks, NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { BedrockHubAccess, BedrockHubAccessProps, BedrockHubRole, BedrockHubRoleProps, BedrockModel, HubTarget } from '../src';
import { resourcesIn } from './support/iam';
import { HUB_ROLE_ARN, newFunction, newStack, WORKLOAD_ENV } from './support/stacks';
import { describeRoleArnProblem, ENV, parseTargets } from '../src/contract';

const OTHER_HUB_ROLE_ARN = 'arn:aws:iam::777788889999:role/OtherHubRole';

/** The statements of every AWS::IAM::Policy that mentions sts:AssumeRole. */
function assumeRoleStatements(template: Template): any[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap((policy: any) => policy.Properties.PolicyDocument.Statement)
    .filter((statement: any) => [statement.Action].flat().includes('sts:AssumeRole'));
}

describe('BedrockHubAccess', () => {
  describe('with a literal hub role ARN', () => {
    test('grants sts:AssumeRole on exactly the hub role and sets the role ARN variable', () => {
      // GIVEN
      const stack = newStack();
      const fn = newFunction(stack, 'Fn');

      // WHEN
      new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [fn] });

      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { [ENV.ROLE_ARN]: HUB_ROLE_ARN } },
      });
      template.resourceCountIs('AWS::IAM::Policy', 1);
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [{ Sid: 'AssumeBedrockHubRole', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: HUB_ROLE_ARN }],
          Version: '2012-10-17',
        },
        Roles: [{ Ref: Match.stringLikeRegexp('^FnServiceRole') }],
      });
    });

    test('sets only the variables whose settings are given', () => {
      // GIVEN
      const stack = newStack();
      const fn = newFunction(stack, 'Fn');

      // WHEN
      new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [fn] });

      // THEN
      const variables = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0].Properties.Environment.Variables;
      expect(Object.keys(variables)).toEqual([ENV.ROLE_ARN]);
    });

    test('sets ExternalId, session name and duration when given', () => {
      // GIVEN
      const stack = newStack();
      const fn = newFunction(stack, 'Fn', { environment: { KEEP: 'me' } });

      // WHEN
      new BedrockHubAccess(stack, 'Hub', {
        hubRoleArn: HUB_ROLE_ARN,
        externalId: 'shared-external-id',
        sessionName: 'invoice-extraction',
        sessionDuration: Duration.minutes(30),
        functions: [fn],
      });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: {
            KEEP: 'me',
            [ENV.ROLE_ARN]: HUB_ROLE_ARN,
            [ENV.EXTERNAL_ID]: 'shared-external-id',
            [ENV.SESSION_NAME]: 'invoice-extraction',
            [ENV.DURATION_SECONDS]: '1800',
          },
        },
      });
    });

    test('exposes its settings and the functions it applies to', () => {
      // GIVEN
      const stack = newStack();
      const a = newFunction(stack, 'A');
      const b = newFunction(stack, 'B');

      // WHEN
      const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, sessionDuration: Duration.hours(1), functions: [a] });
      hub.applyTo(b);

      // THEN
      expect(hub.hubRoleArn).toBe(HUB_ROLE_ARN);
      expect(hub.sessionName).toBeUndefined();
      expect(hub.sessionDuration?.toSeconds()).toBe(3600);
      expect(hub.parameters).toBeUndefined();
      expect(hub.functions).toEqual([a, b]);
    });

    test('functions sharing one role get one statement, and all functions share one policy', () => {
      // GIVEN
      const stack = newStack();
      const sharedRole = new iam.Role(stack, 'Shared', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      const functions = [
        newFunction(stack, 'A', { role: sharedRole }),
        newFunction(stack, 'B', { role: sharedRole }),
        newFunction(stack, 'C'),
        newFunction(stack, 'D'),
      ];

      // WHEN
      new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions });

      // THEN
      const template = Template.fromStack(stack);
      expect(assumeRoleStatements(template)).toHaveLength(1);
      template.resourceCountIs('AWS::IAM::Policy', 1);
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^Shared') }, { Ref: Match.stringLikeRegexp('^CServiceRole') }, { Ref: Match.stringLikeRegexp('^DServiceRole') }],
      });
    });

    test('applying the same function twice changes nothing', () => {
      // GIVEN
      const once = newStack();
      new BedrockHubAccess(once, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [newFunction(once, 'Fn')] });
      const twice = newStack();
      const fn = newFunction(twice, 'Fn');

      // WHEN
      const hub = new BedrockHubAccess(twice, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [fn] });
      hub.applyTo(fn, fn);

      // THEN
      expect(Template.fromStack(twice).toJSON()).toEqual(Template.fromStack(once).toJSON());
      expect(hub.functions).toEqual([fn]);
    });

    test('without functions it adds nothing to the template', () => {
      // GIVEN
      const stack = newStack();
      newFunction(stack, 'Fn');

      // WHEN
      new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::IAM::Policy', 0);
      expect(JSON.stringify(template.toJSON())).not.toContain('BEDROCK_ASSUME_ROLE');
    });

    test('hub access applies to functions in other stacks through a policy in their own stack', () => {
      // GIVEN
      const app = new App();
      const hubStack = newStack({ env: WORKLOAD_ENV }, app);
      const other = new Stack(app, 'Other', { env: WORKLOAD_ENV });
      const fn = newFunction(other, 'Fn');

      // WHEN
      new BedrockHubAccess(hubStack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [fn] });

      // THEN
      Template.fromStack(hubStack).resourceCountIs('AWS::IAM::Policy', 0);
      const template = Template.fromStack(other);
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [Match.objectLike({ Action: 'sts:AssumeRole', Resource: HUB_ROLE_ARN })] },
        Roles: [{ Ref: Match.stringLikeRegexp('^FnServiceRole') }],
      });
      template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { [ENV.ROLE_ARN]: HUB_ROLE_ARN } } });
    });

    test('takes the ARN of a role defined in the app (a token)', () => {
      // GIVEN
      const stack = newStack();
      const hubRole = new iam.Role(stack, 'HubRole', { assumedBy: new iam.AccountRootPrincipal() });
      const fn = newFunction(stack, 'Fn');

      // WHEN
      new BedrockHubAccess(stack, 'Hub', { hubRoleArn: hubRole.roleArn, functions: [fn] });

      // THEN
      const template = Template.fromStack(stack);
      const hubRoleArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^HubRole'), 'Arn'] };
      template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { [ENV.ROLE_ARN]: hubRoleArn } } });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [Match.objectLike({ Action: 'sts:AssumeRole', Resource: hubRoleArn })] },
      });
    });
  });

  describe('grantAssumeRole', () => {
    test('returns a composable grant backed by the shared policy', () => {
      // GIVEN
      const stack = newStack();
      const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN });
      const a = new iam.Role(stack, 'A', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      const b = new iam.Role(stack, 'B', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      const dependent = new iam.Role(stack, 'Dependent', { assumedBy: new iam.AccountRootPrincipal() });

      // WHEN
      const grant = hub.grantAssumeRole(a).combine(hub.grantAssumeRole(b));
      grant.applyBefore(dependent);

      // THEN
      expect(grant.success).toBe(true);
      expect(grant.principalStatements.map((s) => s.toStatementJson())).toEqual([
        { Action: 'sts:AssumeRole', Effect: 'Allow', Resource: HUB_ROLE_ARN },
        { Action: 'sts:AssumeRole', Effect: 'Allow', Resource: HUB_ROLE_ARN },
      ]);
      const template = Template.fromStack(stack);
      expect(assumeRoleStatements(template)).toHaveLength(1);
      template.hasResource('AWS::IAM::Role', {
        Properties: {
          AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { AWS: Match.anyValue() } })] }),
        },
        DependsOn: [Match.stringLikeRegexp('^HubAssumeHubRolePolicy')],
      });
    });

    test('attaches the shared policy to users and groups too', () => {
      // GIVEN
      const stack = newStack();
      const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN });

      // WHEN
      hub.grantAssumeRole(new iam.User(stack, 'User'));
      hub.grantAssumeRole(new iam.Group(stack, 'Group'));

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        Users: [{ Ref: Match.stringLikeRegexp('^User') }],
        Groups: [{ Ref: Match.stringLikeRegexp('^Group') }],
      });
    });

    test('leaves an immutable role unchanged and says so in the grant', () => {
      // GIVEN
      const stack = newStack();
      const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN });
      const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::444455556666:role/Fixed', { mutable: false });

      // WHEN
      const grant = hub.grantAssumeRole(role);

      // THEN
      expect(grant.success).toBe(false);
      Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
    });

    test('attaches to a mutable imported role of the same account', () => {
      // GIVEN
      const stack = newStack();
      const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN });
      const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::444455556666:role/Existing');

      // WHEN
      const grant = hub.grantAssumeRole(role);

      // THEN
      expect(grant.success).toBe(true);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', { Roles: ['Existing'] });
    });

    test('does not attach to a role in another account', () => {
      // GIVEN
      const stack = newStack();
      const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN });
      const role = iam.Role.fromRoleArn(stack, 'Foreign', 'arn:aws:iam::999999999999:role/Elsewhere');

      // WHEN
      const grant = hub.grantAssumeRole(role);

      // THEN
      expect(grant.success).toBe(false);
      Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
    });

    test('hands other principals to iam.Grant as they are', () => {
      // GIVEN
      const stack = newStack();
      const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN });

      // WHEN
      const grant = hub.grantAssumeRole(new iam.AccountPrincipal('444455556666'));

      // THEN
      expect(grant.success).toBe(false);
    });
  });

  describe('rejects bad input at synth, naming the property and the fix', () => {
    const secret = 'Sup3rSecretExternalId';
    test.each([
      ['account with 11 digits', 'arn:aws:iam::11112222333:role/Hub', /hubRoleArn .*'11112222333', which is not 12 digits: give the hub account id with all 12 digits/],
      ['account with letters', 'arn:aws:iam::11112222333x:role/Hub', /hubRoleArn .*not 12 digits/],
      ['an IAM user', 'arn:aws:iam::111122223333:user/alice', /hubRoleArn .*is an IAM user ARN, not a role: a role ARN looks like arn:aws:iam::/],
      ['the account root', 'arn:aws:iam::111122223333:root', /hubRoleArn .*account root ARN, not a role/],
      ['an assumed-role session', 'arn:aws:sts::111122223333:assumed-role/Hub/session', /hubRoleArn .*assumed-role session ARN, not a role ARN: use the role itself, arn:aws:iam::111122223333:role\/Hub/],
      ['an unknown partition', 'arn:aws-moon:iam::111122223333:role/Hub', /hubRoleArn .*unknown partition 'aws-moon': use one of aws, aws-cn/],
      ['a region', 'arn:aws:iam:us-east-1:111122223333:role/Hub', /hubRoleArn .*names a region/],
      ['another service', 'arn:aws:s3:::bucket', /hubRoleArn .*'s3' service, not an IAM role/],
      ['no ARN at all', 'BedrockHubRole', /hubRoleArn 'BedrockHubRole' is not an ARN/],
      ['an empty string', '', /hubRoleArn '' is not an ARN/],
      ['trailing whitespace', `${HUB_ROLE_ARN} `, /hubRoleArn contains whitespace \(at character 46\).*Remove the whitespace/],
      ['the ExternalId pasted after the ARN', `${HUB_ROLE_ARN} ExternalId: ${secret}`, /hubRoleArn contains an ExternalId after the role name.*role ARN and the ExternalId were pasted into one value: pass the ARN alone/],
      ['the ExternalId pasted after a comma', `${HUB_ROLE_ARN},ExternalId=${secret}`, /hubRoleArn contains an ExternalId after the role name.*pass the ARN alone/],
      ['the ARN and a second word', `${HUB_ROLE_ARN} ${secret}`, /hubRoleArn contains whitespace.*pasted into one value: pass the ARN alone/],
      ['a wildcard', 'arn:aws:iam::111122223333:role/*', /hubRoleArn .*has characters IAM does not allow in a role name/],
      ['a role name over 64 characters', `arn:aws:iam::111122223333:role/${'r'.repeat(65)}`, /hubRoleArn .*role name of 65 characters; IAM allows at most 64/],
    ])('hubRoleArn: %s', (_name, hubRoleArn, message) => {
      const stack = newStack();
      expect(() => new BedrockHubAccess(stack, 'Hub', { hubRoleArn })).toThrow(message);
      expect(() => new BedrockHubAccess(stack, 'Hub2', { hubRoleArn })).toThrow(/^BedrockHubAccess 'Workload\/Hub2': /);
    });

    test.each([
      `${HUB_ROLE_ARN}\tExternalId=${secret}`,
      `${HUB_ROLE_ARN} ${secret}`,
      `${HUB_ROLE_ARN},ExternalId=${secret}`,
      `${HUB_ROLE_ARN};external-id:${secret}`,
    ])('never repeats an ExternalId pasted into the ARN: %j', (hubRoleArn) => {
      const stack = newStack();
      expect(() => new BedrockHubAccess(stack, 'Hub', { hubRoleArn })).toThrow(
        expect.objectContaining({ message: expect.not.stringContaining(secret) }),
      );
    });

    test.each([
      ['one character', 'x', /externalId has 1 characters; STS requires 2 to 1224/],
      ['1225 characters', 'x'.repeat(1225), /externalId has 1225 characters; STS requires 2 to 1224/],
      ['a space', `${secret} x`, /externalId contains whitespace; STS allows only letters, digits and \+ = , \. @ : \/ _ -/],
      ['a disallowed character', `${secret}!`, /externalId contains the character '!'; STS allows only/],
      ['a newline', `${secret}\n`, /externalId contains whitespace/],
    ])('externalId: %s, without repeating the value', (_name, externalId, message) => {
      const stack = newStack();
      let error: Error | undefined;
      try {
        new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, externalId });
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).toMatch(message);
      expect(error?.message).toMatch(/leave externalId out if the hub role's trust policy requires none/);
      expect(error?.message).not.toContain(secret);
    });

    test.each([
      ['one character', 'x', /sessionName 'x' has 1 characters; STS requires 2 to 64/],
      ['65 characters', 's'.repeat(65), /sessionName '.*' has 65 characters; STS requires 2 to 64/],
      ['a space', 'invoice extraction', /sessionName 'invoice extraction' contains whitespace; STS allows only letters, digits and \+ = , \. @ _ -/],
      ['a colon', 'team:invoices', /sessionName 'team:invoices' contains the character ':'/],
    ])('sessionName: %s', (_name, sessionName, message) => {
      const stack = newStack();
      expect(() => new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, sessionName })).toThrow(message);
      expect(() => new BedrockHubAccess(stack, 'Hub2', { hubRoleArn: HUB_ROLE_ARN, sessionName })).toThrow(/leave sessionName out to use each function's name/);
    });

    test.each([
      ['14 minutes', Duration.minutes(14), /sessionDuration 840 s is less than STS's minimum of 900 s/],
      ['61 minutes', Duration.minutes(61), /sessionDuration 3660 s is more than 3600 s: from Lambda this is role chaining, which STS caps at one hour/],
      ['12 hours', Duration.hours(12), /sessionDuration 43200 s is more than 3600 s/],
      ['a fraction of a second', Duration.millis(900_500), /sessionDuration 900.5 is not a whole number of seconds/],
    ])('sessionDuration: %s', (_name, sessionDuration, message) => {
      const stack = newStack();
      expect(() => new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, sessionDuration })).toThrow(message);
      expect(() => new BedrockHubAccess(stack, 'Hub2', { hubRoleArn: HUB_ROLE_ARN, sessionDuration })).toThrow(
        /Use a Duration between Duration.minutes\(15\) and Duration.hours\(1\)/,
      );
    });

    test.each([
      ['15 minutes', Duration.minutes(15), '900'],
      ['1 hour', Duration.hours(1), '3600'],
    ])('sessionDuration: accepts %s', (_name, sessionDuration, seconds) => {
      const stack = newStack();
      new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, sessionDuration, functions: [newFunction(stack, 'Fn')] });
      Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { [ENV.DURATION_SECONDS]: seconds } },
      });
    });

    test('tokens are not validated at synth (CloudFormation checks them)', () => {
      // GIVEN
      const stack = newStack();
      const arn = new CfnParameter(stack, 'Arn');
      const externalId = new CfnParameter(stack, 'ExternalId');
      const sessionName = new CfnParameter(stack, 'SessionName');

      // WHEN / THEN
      expect(() => new BedrockHubAccess(stack, 'Hub', {
        hubRoleArn: arn.valueAsString,
        externalId: externalId.valueAsString,
        sessionName: sessionName.valueAsString,
      })).not.toThrow();
    });

    test('the literal parts of a partly tokenized ARN must not contain whitespace', () => {
      const stack = newStack();
      expect(() => new BedrockHubAccess(stack, 'Hub', { hubRoleArn: `arn:${stack.partition}:iam::${stack.account}:role/Hub ExternalId` }))
        .toThrow(/hubRoleArn contains whitespace, so it is not a role ARN. Pass the ARN alone, and an ExternalId in externalId/);
      expect(() => new BedrockHubAccess(stack, 'Fine', { hubRoleArn: `arn:${stack.partition}:iam::111122223333:role/Hub` })).not.toThrow();
    });

    test('a hub role in another partition than the stack', () => {
      const app = new App({ context: { '@aws-cdk/core:enablePartitionLiterals': true } });
      const stack = new Stack(app, 'China', { env: { account: '444455556666', region: 'cn-north-1' } });
      expect(() => new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN }))
        .toThrow(/hubRoleArn is in the partition 'aws', but this stack deploys to 'aws-cn'.*Use a hub role in 'aws-cn'/);
      expect(() => new BedrockHubAccess(stack, 'Fine', { hubRoleArn: 'arn:aws-cn:iam::111122223333:role/Hub' })).not.toThrow();
    });
  });

  describe('functions it cannot apply to', () => {
    test('an imported function', () => {
      // GIVEN
      const stack = newStack();
      const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN });
      const imported = lambda.Function.fromFunctionArn(stack, 'Imported', 'arn:aws:lambda:us-east-1:444455556666:function:legacy');

      // WHEN / THEN
      expect(() => hub.applyTo(imported as unknown as lambda.Function)).toThrow(
        /BedrockHubAccess 'Workload\/Hub': 'Workload\/Imported' is not a lambda.Function defined in this app\. A function imported with lambda.Function.fromFunctionArn .*apply BedrockHubAccess in the app that defines the function/,
      );
    });

    test('an alias or a version', () => {
      const stack = newStack();
      const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN });
      const alias = newFunction(stack, 'Fn').addAlias('live');
      expect(() => hub.applyTo(alias as unknown as lambda.Function)).toThrow(/'Workload\/Fn\/Aliaslive' is not a lambda.Function defined in this app/);
    });

    test('something that is no construct at all', () => {
      const stack = newStack();
      const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN });
      expect(() => hub.applyTo({} as lambda.Function)).toThrow(/the value \[object Object\] is not a lambda.Function defined in this app/);
    });

    test('a function without a role', () => {
      // GIVEN
      const stack = newStack();
      const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN });
      const fn = newFunction(stack, 'Fn');
      Object.defineProperty(fn, 'role', { value: undefined });

      // WHEN / THEN
      expect(() => hub.applyTo(fn)).toThrow(/function 'Workload\/Fn' has no execution role, so it cannot be granted sts:AssumeRole on the hub role. Give the function a role/);
    });

    test('a Lambda@Edge function (cloudfront.experimental.EdgeFunction)', () => {
      // GIVEN
      const stack = newStack();
      const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN });
      const edge = new cloudfront.experimental.EdgeFunction(stack, 'Edge', {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => ({});'),
      });

      // WHEN / THEN
      expect(() => hub.applyTo(edge.node.findChild('Fn') as lambda.Function)).toThrow(
        /function 'Workload\/Edge\/Fn' is a Lambda@Edge function \(its role trusts edgelambda.amazonaws.com\), and Lambda@Edge functions cannot have environment variables/,
      );
    });

    test('a function whose role comes to trust edgelambda after hub access was applied', () => {
      // GIVEN
      const stack = newStack();
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      const fn = newFunction(stack, 'Fn', { role });
      new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [fn] });

      // WHEN
      role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
        actions: ['sts:AssumeRole'],
        principals: [new iam.ServicePrincipal('edgelambda.amazonaws.com')],
      }));

      // THEN
      expect(() => Template.fromStack(stack)).toThrow(/was made a Lambda@Edge function .* after hub access was applied/);
    });

    test('a function whose role cannot be changed gets the variables and a warning', () => {
      // GIVEN
      const stack = newStack();
      const role = iam.Role.fromRoleArn(stack, 'Fixed', 'arn:aws:iam::444455556666:role/Fixed', { mutable: false });
      const fn = newFunction(stack, 'Fn', { role });

      // WHEN
      new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [fn] });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::IAM::Policy', 0);
      template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { [ENV.ROLE_ARN]: HUB_ROLE_ARN } } });
      Annotations.fromStack(stack).hasWarning('/Workload/Fn', Match.stringLikeRegexp(
        'cannot be changed from this app .* could not grant it sts:AssumeRole on arn:aws:iam::111122223333:role/BedrockHubRole\\. Grant it where the role is managed.*\\[ack: bedrock-hub-access:roleNotUpdated\\]',
      ));
    });
  });

  describe('BEDROCK_ASSUME_ROLE_* variables belong to BedrockHubAccess', () => {
    test('a different value set by hand before is an error that does not repeat the value', () => {
      // GIVEN
      const stack = newStack();
      const fn = newFunction(stack, 'Fn', { environment: { [ENV.ROLE_ARN]: 'arn:aws:iam::123456789012:role/Manual' } });

      // WHEN / THEN
      expect(() => new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [fn] })).toThrow(
        /function 'Workload\/Fn' has the environment variable BEDROCK_ASSUME_ROLE_ARN set by other means to a value other than the one BedrockHubAccess sets\. .*remove BEDROCK_ASSUME_ROLE_ARN from the function's environment and configure it through BedrockHubAccess's properties/,
      );
      expect(() => new BedrockHubAccess(stack, 'Hub2', { hubRoleArn: HUB_ROLE_ARN, functions: [fn] })).toThrow(
        expect.objectContaining({ message: expect.not.stringContaining('Manual') }),
      );
    });

    test('an ExternalId set by hand that BedrockHubAccess would not set is an error and is not repeated', () => {
      const stack = newStack();
      const fn = newFunction(stack, 'Fn', { environment: { [ENV.EXTERNAL_ID]: 'hand-set-secret' } });
      expect(() => new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [fn] })).toThrow(
        expect.objectContaining({ message: expect.stringMatching(/BEDROCK_ASSUME_ROLE_EXTERNAL_ID set by other means to a value that BedrockHubAccess does not set/) }),
      );
      expect(() => new BedrockHubAccess(stack, 'Hub2', { hubRoleArn: HUB_ROLE_ARN, functions: [fn] })).toThrow(
        expect.objectContaining({ message: expect.not.stringContaining('hand-set-secret') }),
      );
    });

    test('every variable of the contract is owned: session tags set by hand would lack sts:TagSession', () => {
      const stack = newStack();
      const fn = newFunction(stack, 'Fn', { environment: { [ENV.SESSION_TAGS]: '{"team":"invoices"}' } });
      expect(() => new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [fn] })).toThrow(
        /BEDROCK_ASSUME_ROLE_SESSION_TAGS set by other means to a value that BedrockHubAccess does not set\..*configure it through BedrockHubAccess's properties \(sessionTags\)/,
      );
    });

    test('the same variables set through the properties are accepted when also set by hand to the same value', () => {
      const stack = newStack();
      const fn = newFunction(stack, 'Fn', { environment: { [ENV.SOURCE_IDENTITY]: 'orders-service' } });
      new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, sourceIdentity: 'orders-service', functions: [fn] });
      Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { [ENV.ROLE_ARN]: HUB_ROLE_ARN, [ENV.SOURCE_IDENTITY]: 'orders-service' } },
      });
    });

    test('the same value set by hand is accepted', () => {
      const stack = newStack();
      const fn = newFunction(stack, 'Fn', { environment: { [ENV.ROLE_ARN]: HUB_ROLE_ARN } });
      new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [fn] });
      Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { [ENV.ROLE_ARN]: HUB_ROLE_ARN } } });
    });

    test('a different value set after applyTo fails synthesis', () => {
      // GIVEN
      const stack = newStack();
      const fn = newFunction(stack, 'Fn');
      new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [fn] });

      // WHEN
      fn.addEnvironment(ENV.SESSION_NAME, 'late');

      // THEN
      expect(() => Template.fromStack(stack)).toThrow(/BEDROCK_ASSUME_ROLE_SESSION_NAME set by other means/);
    });

    test('two BedrockHubAccess applied to one function is an error naming both', () => {
      // GIVEN
      const stack = newStack();
      const fn = newFunction(stack, 'Fn');
      new BedrockHubAccess(stack, 'TeamA', { hubRoleArn: HUB_ROLE_ARN, functions: [fn] });
      const teamB = new BedrockHubAccess(stack, 'TeamB', { hubRoleArn: OTHER_HUB_ROLE_ARN });

      // WHEN / THEN
      expect(() => teamB.applyTo(fn)).toThrow(
        "BedrockHubAccess 'Workload/TeamB' (hub role arn:aws:iam::777788889999:role/OtherHubRole) cannot apply to function 'Workload/Fn': " +
        "BedrockHubAccess 'Workload/TeamA' (hub role arn:aws:iam::111122223333:role/BedrockHubRole) already does, and a function assumes one hub role. " +
        'Apply only one of them to this function.',
      );
    });
  });

  describe('warnings', () => {
    test('a hub role in the stack\'s own account', () => {
      // GIVEN
      const stack = newStack();

      // WHEN
      new BedrockHubAccess(stack, 'Hub', { hubRoleArn: 'arn:aws:iam::444455556666:role/LocalRole' });

      // THEN
      Annotations.fromStack(stack).hasWarning('/Workload/Hub', Match.stringLikeRegexp(
        "hubRoleArn is in this stack's own account \\(444455556666\\).*That works, but it is no hub.*\\[ack: bedrock-hub-access:hubRoleInSameAccount\\]",
      ));
    });

    test('no same-account warning when the account is unknown or different', () => {
      const agnostic = newStack({});
      new BedrockHubAccess(agnostic, 'Hub', { hubRoleArn: 'arn:aws:iam::444455556666:role/LocalRole' });
      const other = newStack();
      new BedrockHubAccess(other, 'Hub', { hubRoleArn: HUB_ROLE_ARN });
      expect(Annotations.fromStack(agnostic).findWarning('*', Match.anyValue())).toEqual([]);
      expect(Annotations.fromStack(other).findWarning('*', Match.anyValue())).toEqual([]);
    });

    test('a function that sets AWS_BEARER_TOKEN_BEDROCK: named, its value never shown, acknowledgeable', () => {
      // GIVEN
      const stack = newStack();
      const fn = newFunction(stack, 'Fn');
      fn.addEnvironment('AWS_BEARER_TOKEN_BEDROCK', 'ABSK-secret-api-key');

      // WHEN
      new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [fn] });

      // THEN
      const warnings = Annotations.fromStack(stack).findWarning('/Workload/Fn', Match.stringLikeRegexp('AWS_BEARER_TOKEN_BEDROCK'));
      expect(warnings.map((w) => String(w.entry.data))).toEqual([
        expect.stringMatching(/^This function sets AWS_BEARER_TOKEN_BEDROCK\..*hub\.credentials.*\[ack: bedrock-hub-access:bearerTokenInEnvironment\]/),
      ]);
      expect(JSON.stringify(warnings)).not.toContain('ABSK-secret-api-key');
    });

    test('the bearer-token warning can be acknowledged', () => {
      const stack = newStack();
      const fn = newFunction(stack, 'Fn');
      fn.addEnvironment('AWS_BEARER_TOKEN_BEDROCK', 'ABSK-secret-api-key');
      new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [fn] });
      CoreAnnotations.of(stack).acknowledgeWarning('bedrock-hub-access:bearerTokenInEnvironment', 'the key is for another service');
      expect(Annotations.fromStack(stack).findWarning('/Workload/Fn', Match.stringLikeRegexp('AWS_BEARER_TOKEN_BEDROCK'))).toEqual([]);
    });

    test('the same-account warning can be acknowledged', () => {
      const stack = newStack();
      const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: 'arn:aws:iam::444455556666:role/LocalRole' });
      CoreAnnotations.of(hub).acknowledgeWarning('bedrock-hub-access:hubRoleInSameAccount', 'a same-account role in a test stage');
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    });
  });

  describe('STS regions (failover)', () => {
    test('stsRegions is written to BEDROCK_ASSUME_ROLE_STS_REGIONS in its order', () => {
      // GIVEN
      const stack = newStack();
      const fn = newFunction(stack, 'Fn');

      // WHEN
      new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, stsRegions: ['us-east-1', 'us-west-2'], functions: [fn] });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { [ENV.ROLE_ARN]: HUB_ROLE_ARN, [ENV.STS_REGIONS]: 'us-east-1,us-west-2' } },
      });
    });

    test.each([
      [['us-east-1', ''], /stsRegions has an empty entry/],
      [['US-EAST-1'], /stsRegions has "US-EAST-1", which is not a region code/],
      [['us-east-1', 'us-east-1'], /stsRegions names us-east-1 twice/],
      [['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2'], /stsRegions names 6 regions; at most 5/],
    ])('%j is refused at synth, naming the property and the fix', (regions, message) => {
      const stack = newStack();
      expect(() => new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, stsRegions: regions }))
        .toThrow(new RegExp(`BedrockHubAccess 'Workload/Hub'.*${message.source}.*e\\.g\\. \\['us-east-1', 'us-west-2'\\]`));
    });

    test('a VPC function with a fallback region outside its own gets an acknowledgeable warning; one outside a VPC does not', () => {
      // GIVEN
      const stack = newStack();
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const access = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, stsRegions: [stack.region, 'us-west-2'] });
      access.addStsEndpoint(vpc);

      // WHEN
      access.applyTo(newFunction(stack, 'InVpc', { vpc }), newFunction(stack, 'Outside'));

      // THEN
      const warning = Match.stringLikeRegexp('runs in a VPC, and stsRegions names us-west-2, outside its own region.*NAT gateway.*\\[ack: bedrock-hub-access:noStsRouteToFallbackRegion\\]');
      Annotations.fromStack(stack).hasWarning('/Workload/InVpc', warning);
      Annotations.fromStack(stack).hasNoWarning('/Workload/Outside', Match.anyValue());
      CoreAnnotations.of(stack).acknowledgeWarning('bedrock-hub-access:noStsRouteToFallbackRegion', 'the subnets route to a NAT gateway');
      Annotations.fromStack(stack).hasNoWarning('*', warning);
    });
  });

  describe('STS endpoint', () => {
    function vpcStack() {
      const stack = newStack();
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      return { stack, vpc };
    }
    const NO_ENDPOINT = Match.stringLikeRegexp(
      'runs in a VPC for which this app defines no STS interface endpoint.*sts:AssumeRole of the Bedrock hub role will hang or fail.*addStsEndpoint\\(vpc\\).*\\[ack: bedrock-hub-access:noStsEndpoint\\]',
    );

    test('a VPC function with no STS endpoint gets an acknowledgeable warning', () => {
      // GIVEN
      const { stack, vpc } = vpcStack();
      const fn = newFunction(stack, 'Fn', { vpc });

      // WHEN
      new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [fn] });

      // THEN
      Annotations.fromStack(stack).hasWarning('/Workload/Fn', NO_ENDPOINT);
    });

    test('the warning can be acknowledged on the function or any scope above it', () => {
      const { stack, vpc } = vpcStack();
      new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [newFunction(stack, 'Fn', { vpc })] });
      CoreAnnotations.of(stack).acknowledgeWarning('bedrock-hub-access:noStsEndpoint', 'the VPC has a NAT route to STS');
      Annotations.fromStack(stack).hasNoWarning('*', NO_ENDPOINT);
    });

    test('functions outside a VPC get no warning', () => {
      const stack = newStack();
      new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [newFunction(stack, 'Fn')] });
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    });

    test.each([
      ['before', true],
      ['after', false],
    ])('addStsEndpoint %s applyTo: private DNS, port 443 from the function security groups only', (_when, endpointFirst) => {
      // GIVEN
      const { stack, vpc } = vpcStack();
      const fn = newFunction(stack, 'Fn', { vpc });
      const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN });

      // WHEN
      if (endpointFirst) {
        hub.addStsEndpoint(vpc);
        hub.applyTo(fn);
      } else {
        hub.applyTo(fn);
        hub.addStsEndpoint(vpc);
      }

      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: 'com.amazonaws.us-east-1.sts',
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: true,
        VpcId: { Ref: Match.stringLikeRegexp('^Vpc') },
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HubStsEndpointSecurityGroup'), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnSecurityGroup'), 'GroupId'] },
      });
      const endpointSg = Object.values(template.findResources('AWS::EC2::SecurityGroup'))
        .find((sg: any) => /STS|Sts/.test(JSON.stringify(sg)) || sg.Properties.GroupDescription.includes('StsEndpoint'));
      expect(endpointSg?.Properties.SecurityGroupIngress).toBeUndefined();
      Annotations.fromStack(stack).hasNoWarning('*', NO_ENDPOINT);
    });

    test('functions sharing a security group need one ingress rule', () => {
      const { stack, vpc } = vpcStack();
      const sg = new ec2.SecurityGroup(stack, 'Shared', { vpc });
      const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN });
      hub.addStsEndpoint(vpc);
      hub.applyTo(newFunction(stack, 'A', { vpc, securityGroups: [sg] }), newFunction(stack, 'B', { vpc, securityGroups: [sg] }));
      Template.fromStack(stack).resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
    });

    test('the endpoint only admits functions of its own VPC', () => {
      // GIVEN
      const { stack, vpc } = vpcStack();
      const otherVpc = new ec2.Vpc(stack, 'OtherVpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN });

      // WHEN
      hub.addStsEndpoint(vpc);
      hub.applyTo(newFunction(stack, 'Inside', { vpc }), newFunction(stack, 'Outside', { vpc: otherVpc }));

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
      const annotations = Annotations.fromStack(stack);
      annotations.hasWarning('/Workload/Outside', NO_ENDPOINT);
      annotations.hasNoWarning('/Workload/Inside', NO_ENDPOINT);
    });

    test('takes subnets and security groups', () => {
      const { stack, vpc } = vpcStack();
      const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN });
      const sg = new ec2.SecurityGroup(stack, 'EndpointSg', { vpc });
      hub.addStsEndpoint(vpc, { subnets: { availabilityZones: [vpc.availabilityZones[0]] }, securityGroups: [sg] });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', {
        SubnetIds: [{ Ref: Match.stringLikeRegexp('^VpcisolatedSubnet1') }],
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointSg'), 'GroupId'] }],
      });
    });

    test('calling it again for the same VPC returns the same endpoint', () => {
      const { stack, vpc } = vpcStack();
      const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN });
      expect(hub.addStsEndpoint(vpc)).toBe(hub.addStsEndpoint(vpc));
      Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    });

    test('an STS endpoint the app already defines is reused, and counts for the warning', () => {
      // GIVEN
      const { stack, vpc } = vpcStack();
      const existing = vpc.addInterfaceEndpoint('Sts', { service: ec2.InterfaceVpcEndpointAwsService.STS });
      const other = new BedrockHubAccess(stack, 'Other', { hubRoleArn: OTHER_HUB_ROLE_ARN, functions: [newFunction(stack, 'Unrelated', { vpc })] });
      const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [newFunction(stack, 'Fn', { vpc })] });

      // WHEN
      const endpoint = hub.addStsEndpoint(vpc);

      // THEN
      expect(endpoint).toBe(existing);
      Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCEndpoint', 1);
      Annotations.fromStack(stack).hasNoWarning('*', NO_ENDPOINT);
      expect(other.functions).toHaveLength(1);
    });
  });

  describe('parameter mode (fromParameters)', () => {
    function parameterStack() {
      const stack = newStack();
      const fn = newFunction(stack, 'Fn');
      const hub = BedrockHubAccess.fromParameters(stack, 'Hub', { functions: [fn] });
      return { stack, fn, hub };
    }
    const ARN_PATTERN = () => new RegExp(Template.fromStack(parameterStack().stack).toJSON().Parameters.BedrockHubRoleArn.AllowedPattern);

    test('creates the three parameters, empty by default, the ExternalId NoEcho', () => {
      const { stack } = parameterStack();
      const template = Template.fromStack(stack);
      template.hasParameter('BedrockHubRoleArn', {
        Type: 'String',
        Default: '',
        AllowedPattern: Match.stringLikeRegexp('^\\^\\(\\|\\(\\?!.*\\)arn:'),
        ConstraintDescription: Match.stringLikeRegexp('must be empty .* or exactly one IAM role ARN.*no spaces.*put the ExternalId in BedrockHubRoleExternalId'),
        Description: Match.stringLikeRegexp('Leave empty to call Bedrock in this account'),
      });
      template.hasParameter('BedrockHubRoleExternalId', { Type: 'String', Default: '', NoEcho: true, AllowedPattern: Match.anyValue() });
      template.hasParameter('BedrockHubRoleSessionName', { Type: 'String', Default: '', AllowedPattern: Match.anyValue() });
    });

    test('groups the parameters in the console', () => {
      const { stack } = parameterStack();
      expect(Template.fromStack(stack).toJSON().Metadata['AWS::CloudFormation::Interface']).toEqual({
        ParameterGroups: [{
          Label: { default: Match.anyValue() },
          Parameters: ['BedrockHubRoleArn', 'BedrockHubRoleExternalId', 'BedrockHubRoleSessionName'],
        }].map((g) => ({ ...g, Label: { default: 'Amazon Bedrock hub account (leave empty to call Bedrock in this account)' } })),
        ParameterLabels: {
          BedrockHubRoleArn: { default: 'Hub role ARN' },
          BedrockHubRoleExternalId: { default: 'Hub role ExternalId' },
          BedrockHubRoleSessionName: { default: 'Hub session name' },
        },
      });
    });

    test('keeps parameter groups the stack already has', () => {
      const stack = newStack();
      stack.addMetadata('AWS::CloudFormation::Interface', { ParameterGroups: [{ Label: { default: 'Mine' }, Parameters: ['Mine'] }], ParameterLabels: { Mine: { default: 'Mine' } } });
      BedrockHubAccess.fromParameters(stack, 'Hub');
      const metadata = Template.fromStack(stack).toJSON().Metadata['AWS::CloudFormation::Interface'];
      expect(metadata.ParameterGroups.map((g: any) => g.Parameters[0])).toEqual(['Mine', 'BedrockHubRoleArn']);
      expect(Object.keys(metadata.ParameterLabels)).toEqual(['Mine', 'BedrockHubRoleArn', 'BedrockHubRoleExternalId', 'BedrockHubRoleSessionName']);
    });

    test('switches statement and variables with conditions', () => {
      // GIVEN / WHEN
      const { stack } = parameterStack();

      // THEN
      const template = Template.fromStack(stack);
      expect(template.toJSON().Conditions).toEqual({
        BedrockHubRoleEnabled: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'BedrockHubRoleArn' }, ''] }] },
        BedrockHubRoleExternalIdSet: { 'Fn::And': [{ Condition: 'BedrockHubRoleEnabled' }, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'BedrockHubRoleExternalId' }, ''] }] }] },
        BedrockHubRoleSessionNameSet: { 'Fn::And': [{ Condition: 'BedrockHubRoleEnabled' }, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'BedrockHubRoleSessionName' }, ''] }] }] },
      });
      template.hasResource('AWS::IAM::Policy', {
        Condition: 'BedrockHubRoleEnabled',
        Properties: {
          PolicyDocument: { Statement: [{ Sid: 'AssumeBedrockHubRole', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: { Ref: 'BedrockHubRoleArn' } }], Version: '2012-10-17' },
        },
      });
      const ifSet = (condition: string, ref: string) => ({ 'Fn::If': [condition, { Ref: ref }, { Ref: 'AWS::NoValue' }] });
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: {
            [ENV.ROLE_ARN]: ifSet('BedrockHubRoleEnabled', 'BedrockHubRoleArn'),
            [ENV.EXTERNAL_ID]: ifSet('BedrockHubRoleExternalIdSet', 'BedrockHubRoleExternalId'),
            [ENV.SESSION_NAME]: ifSet('BedrockHubRoleSessionNameSet', 'BedrockHubRoleSessionName'),
          },
        },
      });
    });

    test('a session duration is switched with the role', () => {
      const stack = newStack();
      BedrockHubAccess.fromParameters(stack, 'Hub', { sessionDuration: Duration.minutes(20), functions: [newFunction(stack, 'Fn')] });
      Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { [ENV.DURATION_SECONDS]: { 'Fn::If': ['BedrockHubRoleEnabled', '1200', { Ref: 'AWS::NoValue' }] } } },
      });
    });

    test('exposes its parameters and condition', () => {
      const { stack, hub } = parameterStack();
      expect(stack.resolve(hub.parameters?.hubRoleArn.logicalId)).toBe('BedrockHubRoleArn');
      expect(stack.resolve(hub.parameters?.externalId.logicalId)).toBe('BedrockHubRoleExternalId');
      expect(stack.resolve(hub.parameters?.sessionName.logicalId)).toBe('BedrockHubRoleSessionName');
      expect(stack.resolve(hub.parameters?.enabled.logicalId)).toBe('BedrockHubRoleEnabled');
      expect(stack.resolve(hub.hubRoleArn)).toEqual({ Ref: 'BedrockHubRoleArn' });
    });

    test.each([
      ['empty', '', true],
      ['a role ARN', HUB_ROLE_ARN, true],
      ['a role ARN with a path', 'arn:aws:iam::111122223333:role/service-role/team/BedrockHubRole', true],
      ['a GovCloud role ARN', 'arn:aws-us-gov:iam::111122223333:role/Hub', true],
      ['a European Sovereign Cloud role ARN', 'arn:aws-eusc:iam::111122223333:role/Hub', true],
      ['the ARN and the ExternalId in one field', `${HUB_ROLE_ARN} ExternalId: xyz`, false],
      ['the ARN and the ExternalId, comma-separated', `${HUB_ROLE_ARN},ExternalId=xyz`, false],
      ['the ARN and the ExternalId, semicolon-separated', `${HUB_ROLE_ARN};external_id:xyz`, false],
      ['the ARN and the ExternalId, pipe-separated', `${HUB_ROLE_ARN}|EXTERNALID=xyz`, false],
      ['a role name with a comma and an equals sign', 'arn:aws:iam::111122223333:role/Hub,Team=invoices', true],
      ['a trailing space', `${HUB_ROLE_ARN} `, false],
      ['a leading space', ` ${HUB_ROLE_ARN}`, false],
      ['a trailing newline', `${HUB_ROLE_ARN}\n`, false],
      ['a tab before the ExternalId', `${HUB_ROLE_ARN}\txyz`, false],
      ['a space inside the path', 'arn:aws:iam::111122223333:role/my path/Hub', false],
      ['11 account digits', 'arn:aws:iam::11112222333:role/Hub', false],
      ['a user', 'arn:aws:iam::111122223333:user/alice', false],
      ['an assumed-role session', 'arn:aws:sts::111122223333:assumed-role/Hub/s', false],
      ['an unknown partition', 'arn:aws-moon:iam::111122223333:role/Hub', false],
      ['only whitespace', ' ', false],
    ])('BedrockHubRoleArn AllowedPattern: %s → %s', (_name, value, accepted) => {
      expect(ARN_PATTERN().test(value)).toBe(accepted);
      // Deploy-time validation agrees with synth-time validation of a literal ARN.
      if (value !== '') expect(describeRoleArnProblem(value) === undefined).toBe(accepted);
    });

    test.each([
      ['BedrockHubRoleExternalId', '', true],
      ['BedrockHubRoleExternalId', 'ab', true],
      ['BedrockHubRoleExternalId', 'a+b=c,d.e@f:g/h_i-j', true],
      ['BedrockHubRoleExternalId', 'x'.repeat(1224), true],
      ['BedrockHubRoleExternalId', 'x', false],
      ['BedrockHubRoleExternalId', 'x'.repeat(1225), false],
      ['BedrockHubRoleExternalId', 'with space', false],
      ['BedrockHubRoleExternalId', 'bang!', false],
      ['BedrockHubRoleSessionName', '', true],
      ['BedrockHubRoleSessionName', 'invoice-extraction@team.example', true],
      ['BedrockHubRoleSessionName', 's'.repeat(64), true],
      ['BedrockHubRoleSessionName', 's', false],
      ['BedrockHubRoleSessionName', 's'.repeat(65), false],
      ['BedrockHubRoleSessionName', 'team:invoices', false],
      ['BedrockHubRoleSessionName', 'a b', false],
    ])('%s AllowedPattern accepts %j: %s', (parameter, value, accepted) => {
      const pattern = new RegExp(Template.fromStack(parameterStack().stack).toJSON().Parameters[parameter].AllowedPattern);
      expect(pattern.test(value)).toBe(accepted);
    });

    describe('as deployed', () => {
      // What CloudFormation creates for the given parameter values.
      test.each([
        ['nothing set', {}, { policy: false, variables: {} }],
        ['only the ExternalId and session name', { BedrockHubRoleExternalId: 'xyz123', BedrockHubRoleSessionName: 'team' }, { policy: false, variables: {} }],
        ['the role', { BedrockHubRoleArn: HUB_ROLE_ARN }, { policy: true, variables: { [ENV.ROLE_ARN]: HUB_ROLE_ARN } }],
        ['the role and the ExternalId', { BedrockHubRoleArn: HUB_ROLE_ARN, BedrockHubRoleExternalId: 'xyz123' }, {
          policy: true, variables: { [ENV.ROLE_ARN]: HUB_ROLE_ARN, [ENV.EXTERNAL_ID]: 'xyz123' },
        }],
        ['everything', { BedrockHubRoleArn: HUB_ROLE_ARN, BedrockHubRoleExternalId: 'xyz123', BedrockHubRoleSessionName: 'team' }, {
          policy: true, variables: { [ENV.ROLE_ARN]: HUB_ROLE_ARN, [ENV.EXTERNAL_ID]: 'xyz123', [ENV.SESSION_NAME]: 'team' },
        }],
      ])('%s', (_name, values: Record<string, string>, expected) => {
        // GIVEN
        const template = Template.fromStack(parameterStack().stack).toJSON();

        // WHEN
        const resources = resourcesIn(template, { account: WORKLOAD_ENV.account, parameters: values });

        // THEN
        const policies = Object.values(resources).filter((r: any) => r.Type === 'AWS::IAM::Policy');
        expect(policies).toHaveLength(expected.policy ? 1 : 0);
        const fn: any = Object.values(resources).find((r: any) => r.Type === 'AWS::Lambda::Function');
        expect(fn.Properties.Environment?.Variables ?? {}).toEqual(expected.variables);
        if (expected.policy) {
          expect(policies[0].Properties.PolicyDocument.Statement).toEqual([
            { Sid: 'AssumeBedrockHubRole', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: HUB_ROLE_ARN },
          ]);
        }
      });

      test('with an empty role ARN the stack is exactly as without the construct', () => {
        // GIVEN
        const without = newStack();
        newFunction(without, 'Fn');
        newFunction(without, 'Other', { environment: { KEEP: 'me' } });
        const withHub = newStack();
        const fns = [newFunction(withHub, 'Fn'), newFunction(withHub, 'Other', { environment: { KEEP: 'me' } })];

        // WHEN
        BedrockHubAccess.fromParameters(withHub, 'Hub', { sessionDuration: Duration.minutes(30) }).applyTo(...fns);

        // THEN
        const dropEmptyEnvironment = (resources: Record<string, any>) => JSON.parse(JSON.stringify(resources), (key, value) =>
          key === 'Environment' && Object.keys(value.Variables ?? {}).length === 0 ? undefined : value);
        const deployed = dropEmptyEnvironment(resourcesIn(Template.fromStack(withHub).toJSON(), { account: WORKLOAD_ENV.account, parameters: { BedrockHubRoleExternalId: 'abc', BedrockHubRoleSessionName: 'x1' } }));
        expect(deployed).toEqual(dropEmptyEnvironment(resourcesIn(Template.fromStack(without).toJSON(), { account: WORKLOAD_ENV.account })));
      });
    });

    test('a stack holds one set of parameters', () => {
      const { stack } = parameterStack();
      expect(() => BedrockHubAccess.fromParameters(stack, 'Again')).toThrow(
        /fromParameters\('Again'\): stack 'Workload' already has the BedrockHubRoleArn parameter \(created by BedrockHubAccess 'Workload\/Hub'\)\. A template holds one set of hub parameters: reuse that BedrockHubAccess/,
      );
    });

    test('the parameters do not reach functions of another stack', () => {
      // GIVEN
      const app = new App();
      const stack = newStack({ env: WORKLOAD_ENV }, app);
      const hub = BedrockHubAccess.fromParameters(stack, 'Hub');
      const other = new Stack(app, 'Other', { env: WORKLOAD_ENV });

      // WHEN / THEN
      expect(() => hub.applyTo(newFunction(other, 'Fn'))).toThrow(
        /'Other\/Fn' is in stack 'Other', but the BedrockHubRoleArn parameter that switches hub access on and off is in stack 'Workload', and a CloudFormation condition cannot reach another stack\. Call BedrockHubAccess.fromParameters in stack 'Other'/,
      );
    });

    test('grants to a principal without a policy of its own are an error', () => {
      const { hub } = parameterStack();
      expect(() => hub.grantAssumeRole(new iam.AccountPrincipal('444455556666'))).toThrow(
        /grantAssumeRole\(.*\): in parameter mode the grant must disappear when BedrockHubRoleArn is empty, which only a policy attached to a role, user or group can do/,
      );
    });

    test('switches functions of nested stacks with conditions derived from the same parameters', () => {
      // GIVEN
      const stack = newStack();
      const hub = BedrockHubAccess.fromParameters(stack, 'Hub');
      const nested = new NestedStack(stack, 'Nested');

      // WHEN
      hub.applyTo(newFunction(nested, 'Fn'));

      // THEN
      const parent = Template.fromStack(stack).toJSON();
      const child = Template.fromStack(nested).toJSON();
      expect(Object.keys(child.Conditions)).toHaveLength(3);
      const stackResource: any = Object.values(parent.Resources).find((r: any) => r.Type === 'AWS::CloudFormation::Stack');
      const passedIn = (values: Record<string, string>) => Object.fromEntries(Object.entries<any>(stackResource.Properties.Parameters)
        .map(([name, value]) => [name, values[value.Ref] ?? parent.Parameters[value.Ref].Default]));
      const deployed = (values: Record<string, string>) => {
        const resources = Object.values<any>(resourcesIn(child, { account: WORKLOAD_ENV.account, parameters: passedIn(values) }));
        return {
          policies: resources.filter((r) => r.Type === 'AWS::IAM::Policy').length,
          variables: resources.find((r) => r.Type === 'AWS::Lambda::Function').Properties.Environment?.Variables ?? {},
        };
      };
      expect(deployed({})).toEqual({ policies: 0, variables: {} });
      const on = deployed({ BedrockHubRoleArn: HUB_ROLE_ARN, BedrockHubRoleSessionName: 'team' });
      expect(on.policies).toBe(1);
      expect(Object.keys(on.variables).sort()).toEqual([ENV.ROLE_ARN, ENV.SESSION_NAME]);
    });
  });

  describe('from a BedrockHubRole (fromHubRole, hubRole)', () => {
    const HUB_ENV = { account: '111122223333', region: 'us-east-1' };
    function hubRole(app: App, props: Partial<BedrockHubRoleProps> = {}, env: { account?: string; region?: string } = HUB_ENV): BedrockHubRole {
      return new BedrockHubRole(new Stack(app, 'Hub', { env }), 'HubRole', {
        trustedAccounts: [WORKLOAD_ENV.account],
        externalId: 'shared-external-id',
        models: [BedrockModel.foundationModel('anthropic.claude-3-haiku-20240307-v1:0')],
        ...props,
      });
    }

    test('takes the role\'s ARN and ExternalId', () => {
      // GIVEN
      const app = new App();
      const role = hubRole(app);
      const stack = newStack(undefined, app);
      const fn = newFunction(stack, 'Fn');

      // WHEN
      const access = BedrockHubAccess.fromHubRole(stack, 'Hub', role, { functions: [fn] });

      // THEN
      expect(access.hubRoleArn).toBe(HUB_ROLE_ARN);
      expect(access.hubRole).toBe(role);
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { [ENV.ROLE_ARN]: HUB_ROLE_ARN, [ENV.EXTERNAL_ID]: 'shared-external-id' } },
      });
      expect(assumeRoleStatements(template)).toEqual([{ Sid: 'AssumeBedrockHubRole', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: HUB_ROLE_ARN }]);
    });

    test('the hubRole property does the same as fromHubRole', () => {
      const app = new App();
      const role = hubRole(app);
      const a = newStack(undefined, app);
      const b = new Stack(app, 'Other', { env: WORKLOAD_ENV });
      BedrockHubAccess.fromHubRole(a, 'Hub', role, { functions: [newFunction(a, 'Fn')] });
      new BedrockHubAccess(b, 'Hub', { hubRole: role, functions: [newFunction(b, 'Fn')] });
      expect(Template.fromStack(b).toJSON().Resources).toEqual(Template.fromStack(a).toJSON().Resources);
    });

    test('an explicit externalId wins over the role\'s; a role that requires none gets none', () => {
      const app = new App();
      const stack = newStack(undefined, app);
      const role = hubRole(app, { externalId: undefined, requireExternalId: false });
      const given = BedrockHubAccess.fromHubRole(stack, 'Given', role, { externalId: 'explicit-id', functions: [newFunction(stack, 'A')] });
      const none = BedrockHubAccess.fromHubRole(stack, 'None', role, { functions: [newFunction(stack, 'B')] });
      expect([given, none].map((h) => h.functions[0].node.path)).toEqual(['Workload/A', 'Workload/B']);
      const variables = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).map((f: any) => f.Properties.Environment.Variables);
      expect(variables).toEqual([
        { [ENV.ROLE_ARN]: HUB_ROLE_ARN, [ENV.EXTERNAL_ID]: 'explicit-id' },
        { [ENV.ROLE_ARN]: HUB_ROLE_ARN },
      ]);
    });

    const invalid: Array<[string, (app: App, stack: Stack) => void, RegExp]> = [
      ['both hubRole and hubRoleArn', (app, stack) => new BedrockHubAccess(stack, 'Hub', { hubRole: hubRole(app), hubRoleArn: HUB_ROLE_ARN }),
        /BedrockHubAccess 'Workload\/Hub': both hubRole and hubRoleArn are given\. Give one: hubRole \(BedrockHubAccess\.fromHubRole\)/],
      ['neither', (_app, stack) => new BedrockHubAccess(stack, 'Hub', {}),
        /BedrockHubAccess 'Workload\/Hub': no hub role is given\. Give hubRoleArn .*or hubRole .*or use BedrockHubAccess\.fromParameters/],
      ['a hub stack without an account', (app, stack) => BedrockHubAccess.fromHubRole(stack, 'Hub', hubRole(app, {}, {})),
        /hubRole: BedrockHubRole 'Hub\/HubRole' has no concrete ARN, because its stack has no concrete account \(env\).*Give the hub stack an environment/],
      ['an ExternalId that is a parameter of the hub stack', (app, stack) => {
        const hubStack = new Stack(app, 'Hub', { env: HUB_ENV });
        const parameter = new CfnParameter(hubStack, 'ExternalId', { noEcho: true });
        const role = new BedrockHubRole(hubStack, 'HubRole', { trustedAccounts: [WORKLOAD_ENV.account], externalId: parameter.valueAsString, models: [BedrockModel.allFoundationModels()] });
        BedrockHubAccess.fromHubRole(stack, 'Hub', role);
      }, /hubRole: BedrockHubRole 'Hub\/HubRole' requires an ExternalId that is a token \(such as a NoEcho parameter of the hub stack\), whose value cannot be passed to the workload stack\. Pass the same value as externalId/],
      ['something that is no BedrockHubRole', (_app, stack) => BedrockHubAccess.fromHubRole(stack, 'Hub', { roleArn: HUB_ROLE_ARN } as unknown as BedrockHubRole),
        /hubRole must be a BedrockHubRole defined in this app; for any other role, give its ARN/],
    ];
    test.each(invalid)('refused: %s', (_name, make, message) => {
      const app = new App();
      expect(() => make(app, newStack(undefined, app))).toThrow(message);
    });
  });

  describe('target roles in further accounts', () => {
    const TARGET_A = 'arn:aws:iam::333333333333:role/AgentsRole';
    const TARGET_B = 'arn:aws:iam::555555555555:role/team/KnowledgeRole';
    const variablesOf = (stack: Stack) => Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).map((f: any) => f.Properties.Environment.Variables);

    test('each target is granted exactly and passed in BEDROCK_ASSUME_ROLE_TARGETS', () => {
      // GIVEN
      const stack = newStack();
      const fn = newFunction(stack, 'Fn');

      // WHEN
      const access = new BedrockHubAccess(stack, 'Hub', {
        hubRoleArn: HUB_ROLE_ARN,
        targets: [{ roleArn: TARGET_A, externalId: 'agents-external-id', account: '333333333333' }, { roleArn: TARGET_B }],
        functions: [fn],
      });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::IAM::Policy', 1);
      expect(assumeRoleStatements(template)).toEqual([{ Sid: 'AssumeBedrockHubRole', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: [HUB_ROLE_ARN, TARGET_A, TARGET_B] }]);
      const variables = variablesOf(stack)[0];
      expect(JSON.parse(variables[ENV.TARGETS])).toEqual([{ roleArn: TARGET_A, externalId: 'agents-external-id' }, { roleArn: TARGET_B }]);
      expect(parseTargets(variables[ENV.TARGETS])).toEqual({ targets: [{ roleArn: TARGET_A, externalId: 'agents-external-id' }, { roleArn: TARGET_B }] });
      expect(access.targets).toEqual([{ roleArn: TARGET_A, externalId: 'agents-external-id' }, { roleArn: TARGET_B }]);
    });

    test('a target added after the functions reaches them too, in every stack', () => {
      // GIVEN
      const app = new App();
      const stack = newStack(undefined, app);
      const other = new Stack(app, 'Second', { env: WORKLOAD_ENV });
      const access = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [newFunction(stack, 'Fn'), newFunction(other, 'Fn')] });

      // WHEN
      access.addTarget(TARGET_A);
      access.addTarget(TARGET_B, { externalId: 'kb-external-id' });

      // THEN
      for (const s of [stack, other]) {
        expect(assumeRoleStatements(Template.fromStack(s))).toEqual([expect.objectContaining({ Resource: [HUB_ROLE_ARN, TARGET_A, TARGET_B] })]);
        expect(JSON.parse(variablesOf(s)[0][ENV.TARGETS])).toEqual([{ roleArn: TARGET_A }, { roleArn: TARGET_B, externalId: 'kb-external-id' }]);
      }
    });

    test('addTargetRole takes a BedrockHubRole\'s ARN and ExternalId', () => {
      // GIVEN
      const app = new App();
      const targetStack = new Stack(app, 'Agents', { env: { account: '333333333333', region: 'us-east-1' } });
      const role = new BedrockHubRole(targetStack, 'AgentsRole', {
        roleName: 'AgentsRole',
        trustedAccounts: [WORKLOAD_ENV.account],
        externalId: 'agents-external-id',
        agentAliases: ['AGENT12345/ALIAS12345'],
      });
      const stack = newStack(undefined, app);

      // WHEN
      const access = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [newFunction(stack, 'Fn')] });
      access.addTargetRole(role);

      // THEN
      expect(access.targets).toEqual([{ roleArn: TARGET_A, externalId: 'agents-external-id' }]);
      expect(JSON.parse(variablesOf(stack)[0][ENV.TARGETS])).toEqual([{ roleArn: TARGET_A, externalId: 'agents-external-id' }]);
    });

    test('in parameter mode, targets are deployed only with a hub role', () => {
      // GIVEN
      const stack = newStack();
      BedrockHubAccess.fromParameters(stack, 'Hub', { targets: [{ roleArn: TARGET_A }], functions: [newFunction(stack, 'Fn')] });
      const template = Template.fromStack(stack).toJSON();

      // WHEN
      const deployed = (values: Record<string, string>) =>
        Object.values<any>(resourcesIn(template, { account: WORKLOAD_ENV.account, parameters: values }));

      // THEN
      const off = deployed({});
      expect(off.filter((r) => r.Type === 'AWS::IAM::Policy')).toEqual([]);
      expect(off.find((r) => r.Type === 'AWS::Lambda::Function').Properties.Environment).toEqual({ Variables: {} });
      const on = deployed({ BedrockHubRoleArn: HUB_ROLE_ARN });
      expect(on.find((r) => r.Type === 'AWS::IAM::Policy').Properties.PolicyDocument.Statement[0].Resource).toEqual([HUB_ROLE_ARN, TARGET_A]);
      expect(JSON.parse(on.find((r) => r.Type === 'AWS::Lambda::Function').Properties.Environment.Variables[ENV.TARGETS])).toEqual([{ roleArn: TARGET_A }]);
    });

    test('a token role ARN (e.g. a parameter) is passed through for the runtime shim to check', () => {
      const stack = newStack();
      const arn = new CfnParameter(stack, 'AgentsRoleArn').valueAsString;
      new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, targets: [{ roleArn: arn }], functions: [newFunction(stack, 'Fn')] });
      const template = Template.fromStack(stack);
      expect(assumeRoleStatements(template)[0].Resource).toEqual([HUB_ROLE_ARN, { Ref: 'AgentsRoleArn' }]);
      expect(JSON.stringify(variablesOf(stack)[0][ENV.TARGETS])).toContain('AgentsRoleArn');
    });

    const secret = 'Sup3rSecretTargetId';
    const invalid: Array<[string, HubTarget[], RegExp]> = [
      ['a user ARN', [{ roleArn: 'arn:aws:iam::333333333333:user/alice' }], /targets\[0\] roleArn .*is an IAM user ARN, not a role/],
      ['an ExternalId pasted after the ARN', [{ roleArn: `${TARGET_A} ExternalId: ${secret}` }], /targets\[0\] roleArn contains an ExternalId after the role name .*pasted into one value: pass the ARN alone/],
      ['an account the ARN is not in', [{ roleArn: TARGET_A, account: '444444444444' }],
        /targets\[0\] roleArn 'arn:aws:iam::333333333333:role\/AgentsRole' is in account 333333333333, but account says 444444444444: the ARN was probably copied from another account's role/],
      ['an account with a stray quote', [{ roleArn: TARGET_A, account: '333333333333"' }], /targets\[0\] account "333333333333\\"" has a trailing '"'; an account id is 12 digits/],
      ['the hub role\'s account', [{ roleArn: 'arn:aws:iam::111122223333:role/AgentsRole' }],
        /targets\[0\] roleArn 'arn:aws:iam::111122223333:role\/AgentsRole' is in the hub role's account 111122223333, which the hub role .* serves: a target is for resources of another account/],
      ['two roles in one account', [{ roleArn: TARGET_A }, { roleArn: 'arn:aws:iam::333333333333:role/Other' }],
        /targets\[1\] roleArn 'arn:aws:iam::333333333333:role\/Other' is in account 333333333333, like targets\[0\] \('arn:aws:iam::333333333333:role\/AgentsRole'\): the runtime shim picks the role by account, so give one role per account/],
      ['a short ExternalId', [{ roleArn: TARGET_A, externalId: 'x' }], /targets\[0\] externalId has 1 characters; STS requires 2 to 1224/],
    ];
    test.each(invalid)('refused: %s', (_name, targets, message) => {
      const stack = newStack();
      expect(() => new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, targets })).toThrow(message);
    });

    test('a target in another partition than the stack', () => {
      const app = new App({ context: { '@aws-cdk/core:enablePartitionLiterals': true } });
      const stack = new Stack(app, 'China', { env: { account: '444455556666', region: 'cn-north-1' } });
      expect(() => new BedrockHubAccess(stack, 'Hub', { hubRoleArn: 'arn:aws-cn:iam::111122223333:role/Hub', targets: [{ roleArn: TARGET_A }] }))
        .toThrow(/targets\[0\] roleArn is in the partition 'aws', but this stack deploys to 'aws-cn', and roles cannot be assumed across partitions/);
    });

    test('a bad target ExternalId is never repeated', () => {
      const stack = newStack();
      const make = () => new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, targets: [{ roleArn: TARGET_A, externalId: `${secret} !` }] });
      expect(make).toThrow(/targets\[0\] externalId contains whitespace; .*the value itself is not shown/);
      expect(make).not.toThrow(new RegExp(secret));
    });

    test('addTarget names the index among all targets', () => {
      const stack = newStack();
      const access = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, targets: [{ roleArn: TARGET_A }] });
      expect(() => access.addTarget('arn:aws:iam::333333333333:role/Again')).toThrow(/^BedrockHubAccess 'Workload\/Hub': targets\[1\] roleArn .* like targets\[0\]/);
    });
  });

  describe('attribution: session tags and source identity', () => {
    const variablesOf = (stack: Stack) => Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0].Properties.Environment.Variables;

    test('session tags and the function-name tag key: variables, and sts:TagSession on the same roles', () => {
      // GIVEN
      const stack = newStack();

      // WHEN
      const access = new BedrockHubAccess(stack, 'Hub', {
        hubRoleArn: HUB_ROLE_ARN,
        sessionTags: { 'team': 'orders', 'cost-center': '1234' },
        functionNameTagKey: 'lambda-function',
        targets: [{ roleArn: 'arn:aws:iam::333333333333:role/AgentsRole' }],
        functions: [newFunction(stack, 'Fn')],
      });

      // THEN
      const variables = variablesOf(stack);
      expect(JSON.parse(variables[ENV.SESSION_TAGS])).toEqual({ 'team': 'orders', 'cost-center': '1234' });
      expect(variables[ENV.FUNCTION_NAME_TAG_KEY]).toBe('lambda-function');
      expect(variables[ENV.SOURCE_IDENTITY]).toBeUndefined();
      expect(assumeRoleStatements(Template.fromStack(stack))).toEqual([{
        Sid: 'AssumeBedrockHubRole',
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Resource: [HUB_ROLE_ARN, 'arn:aws:iam::333333333333:role/AgentsRole'],
      }]);
      expect(access).toMatchObject({ sessionTags: { 'team': 'orders', 'cost-center': '1234' }, functionNameTagKey: 'lambda-function', sourceIdentity: undefined });
    });

    test('the function-name tag alone also grants sts:TagSession', () => {
      const stack = newStack();
      new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functionNameTagKey: 'fn', functions: [newFunction(stack, 'Fn')] });
      expect(variablesOf(stack)[ENV.SESSION_TAGS]).toBeUndefined();
      expect(assumeRoleStatements(Template.fromStack(stack))[0].Action).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    });

    test('an empty sessionTags object is the same as none', () => {
      const stack = newStack();
      const access = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, sessionTags: {}, functions: [newFunction(stack, 'Fn')] });
      expect(access.sessionTags).toBeUndefined();
      expect(Object.keys(variablesOf(stack))).toEqual([ENV.ROLE_ARN]);
      expect(assumeRoleStatements(Template.fromStack(stack))[0].Action).toBe('sts:AssumeRole');
    });

    test('a source identity: the variable, and sts:SetSourceIdentity', () => {
      const stack = newStack();
      new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, sourceIdentity: 'orders-service', sessionTags: { team: 'orders' }, functions: [newFunction(stack, 'Fn')] });
      expect(variablesOf(stack)[ENV.SOURCE_IDENTITY]).toBe('orders-service');
      expect(assumeRoleStatements(Template.fromStack(stack))[0].Action).toEqual(['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity']);
    });

    test('grants to other principals carry the same actions', () => {
      const stack = newStack();
      const access = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, sourceIdentity: 'orders-service' });
      const added: iam.PolicyStatement[] = [];
      const principal: iam.IPrincipal = {
        get grantPrincipal() { return principal; },
        assumeRoleAction: 'sts:AssumeRole',
        policyFragment: new iam.ArnPrincipal('arn:aws:iam::444455556666:role/Elsewhere').policyFragment,
        principalAccount: '444455556666',
        addToPrincipalPolicy: (statement) => { added.push(statement); return { statementAdded: true, policyDependable: new Construct(stack, 'Policy') }; },
      };
      expect(access.grantAssumeRole(principal).success).toBe(true);
      expect(added.map((statement) => statement.toStatementJson())).toEqual([{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'], Resource: HUB_ROLE_ARN }]);
    });

    test('a tag value may be a token', () => {
      const stack = newStack();
      const team = new CfnParameter(stack, 'Team').valueAsString;
      new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, sessionTags: { team }, functions: [newFunction(stack, 'Fn')] });
      expect(variablesOf(stack)[ENV.SESSION_TAGS]).toEqual({ 'Fn::Join': ['', ['{"team":"', { Ref: 'Team' }, '"}']] });
    });

    test('in parameter mode, tags and source identity are deployed only with a hub role', () => {
      const stack = newStack();
      BedrockHubAccess.fromParameters(stack, 'Hub', { sessionTags: { team: 'orders' }, functionNameTagKey: 'fn', sourceIdentity: 'orders-service', functions: [newFunction(stack, 'Fn')] });
      const template = Template.fromStack(stack).toJSON();
      const fnOf = (values: Record<string, string>) => Object.values<any>(resourcesIn(template, { account: WORKLOAD_ENV.account, parameters: values })).find((r) => r.Type === 'AWS::Lambda::Function');
      expect(fnOf({}).Properties.Environment).toEqual({ Variables: {} });
      expect(fnOf({ BedrockHubRoleArn: HUB_ROLE_ARN }).Properties.Environment.Variables).toEqual({
        [ENV.ROLE_ARN]: HUB_ROLE_ARN,
        [ENV.SESSION_TAGS]: '{"team":"orders"}',
        [ENV.FUNCTION_NAME_TAG_KEY]: 'fn',
        [ENV.SOURCE_IDENTITY]: 'orders-service',
      });
    });

    const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    const invalid: Array<[string, Partial<BedrockHubAccessProps>, RegExp]> = [
      ['51 tags', { sessionTags: tags(51) }, /sessionTags has 51 tags; STS allows at most 50 session tags\. Fix the tags/],
      ['50 tags and the function-name tag', { sessionTags: tags(50), functionNameTagKey: 'fn' }, /sessionTags has 51 tags; STS allows at most 50 session tags\. \(counting the functionNameTagKey tag\)/],
      ['a reserved key', { sessionTags: { 'aws:team': 'orders' } }, /sessionTags: tag key 'aws:team' starts with 'aws:', which is reserved/],
      ['a key with a character STS refuses', { sessionTags: { 'team#1': 'orders' } }, /sessionTags: tag key 'team#1' has characters STS does not allow/],
      ['an empty key', { sessionTags: { '': 'orders' } }, /sessionTags: tag key '' has 0 characters; STS allows 1 to 128/],
      ['a key of 129 characters', { sessionTags: { ['k'.repeat(129)]: 'v' } }, /sessionTags: tag key 'k+' has 129 characters; STS allows 1 to 128/],
      ['a value of 257 characters', { sessionTags: { team: 'v'.repeat(257) } }, /sessionTags: tag 'team' has a value of 257 characters; STS allows at most 256/],
      ['a value with a character STS refuses', { sessionTags: { team: 'orders;billing' } }, /sessionTags: tag 'team' has a value with characters STS does not allow/],
      ['keys that differ only in case', { sessionTags: { Team: 'a', team: 'b' } }, /sessionTags: tag keys 'Team' and 'team' differ only in case; STS treats them as the same key/],
      ['a function-name key that is also a static key', { sessionTags: { Function: 'x' }, functionNameTagKey: 'function' },
        /functionNameTagKey 'function' is also a key of sessionTags \('Function'\); STS treats tag keys case-insensitively.*Use another key/],
      ['a reserved function-name key', { functionNameTagKey: 'aws:function' }, /functionNameTagKey: tag key 'aws:function' starts with 'aws:', which is reserved\. Use a key such as 'lambda-function'/],
      ['a source identity starting with aws:', { sourceIdentity: 'aws:orders' }, /sourceIdentity 'aws:orders' starts with 'aws:', which STS reserves\. Use 2 to 64/],
      ['a one-character source identity', { sourceIdentity: 'o' }, /sourceIdentity 'o' has 1 characters; STS requires 2 to 64/],
      ['a source identity with a space', { sourceIdentity: 'orders service' }, /sourceIdentity 'orders service' contains whitespace; STS allows only letters, digits and \+ = , \. @ _ -/],
    ];
    test.each(invalid)('refused: %s', (_name, props, message) => {
      const stack = newStack();
      expect(() => new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, ...props })).toThrow(message);
    });

    test('50 tags with the function-name tag as the 50th are accepted', () => {
      const stack = newStack();
      expect(() => new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, sessionTags: tags(49), functionNameTagKey: 'fn' })).not.toThrow();
    });

    test('token keys and a token function-name key are refused', () => {
      const stack = newStack();
      const token = new CfnParameter(stack, 'Key').valueAsString;
      expect(() => new BedrockHubAccess(stack, 'A', { hubRoleArn: HUB_ROLE_ARN, sessionTags: { [token]: 'v' } })).toThrow(/sessionTags has a token as a key; give tag keys literally/);
      expect(() => new BedrockHubAccess(stack, 'B', { hubRoleArn: HUB_ROLE_ARN, functionNameTagKey: token })).toThrow(/functionNameTagKey is a token; give the tag key literally/);
    });
  });

  test('adding a function costs a bounded number of template bytes and no resources', () => {
    // GIVEN
    type Mode = 'without' | 'literal' | 'parameters' | 'attribution';
    const synth = (mode: Mode, count: number) => {
      const stack = newStack();
      const functions = Array.from({ length: count }, (_, i) => newFunction(stack, `Function${i}`));
      if (mode === 'literal') new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, externalId: 'shared-external-id', functions });
      if (mode === 'parameters') BedrockHubAccess.fromParameters(stack, 'Hub', { functions });
      if (mode === 'attribution') {
        new BedrockHubAccess(stack, 'Hub', {
          hubRoleArn: HUB_ROLE_ARN,
          externalId: 'shared-external-id',
          targets: [{ roleArn: 'arn:aws:iam::333333333333:role/AgentsRole', externalId: 'agents-external-id' }],
          sessionTags: { team: 'orders' },
          functionNameTagKey: 'lambda-function',
          sourceIdentity: 'orders-service',
          functions,
        });
      }
      const template = Template.fromStack(stack).toJSON();
      return {
        compact: JSON.stringify(template).length,
        asWritten: JSON.stringify(template, undefined, 1).length,
        resources: Object.keys(template.Resources).length,
      };
    };

    // WHEN
    const cost = (mode: Mode) => {
      const [a, b, c] = [synth(mode, 4), synth(mode, 5), synth(mode, 6)];
      const [x, y, z] = [synth('without', 4), synth('without', 5), synth('without', 6)];
      return {
        compact: [(b.compact - a.compact) - (y.compact - x.compact), (c.compact - b.compact) - (z.compact - y.compact)],
        asWritten: [(b.asWritten - a.asWritten) - (y.asWritten - x.asWritten), (c.asWritten - b.asWritten) - (z.asWritten - y.asWritten)],
        resources: [(b.resources - a.resources) - (y.resources - x.resources), (c.resources - b.resources) - (z.resources - y.resources)],
      };
    };
    const literal = cost('literal');
    const parameters = cost('parameters');
    const attribution = cost('attribution');
    // eslint-disable-next-line no-console
    console.log('template bytes per added function (compact / as written by cdk synth): ' +
      `literal ${literal.compact[0]} / ${literal.asWritten[0]}, parameters ${parameters.compact[0]} / ${parameters.asWritten[0]}, ` +
      `with a target, two session tags and a source identity ${attribution.compact[0]} / ${attribution.asWritten[0]}`);

    // THEN
    for (const { compact, asWritten, resources } of [literal, parameters, attribution]) {
      expect(resources).toEqual([0, 0]);
      expect(compact[0]).toBe(compact[1]); // constant: no per-function growth beyond the function's own lines
      expect(asWritten[0]).toBe(asWritten[1]);
    }
    expect(literal.compact[0]).toBeLessThanOrEqual(200);
    expect(parameters.compact[0]).toBeLessThanOrEqual(500);
    // Four more variables, names and values repeated in each function's environment (the grant is
    // shared): about 300 bytes over the literal mode.
    expect(attribution.compact[0]).toBeLessThanOrEqual(520);
  });

  test('passes the cdk-nag AwsSolutions checks', () => {
    // GIVEN
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const hub = new BedrockHubAccess(stack, 'Hub', {
      hubRoleArn: HUB_ROLE_ARN,
      externalId: 'shared-external-id',
      functions: [newFunction(stack, 'Fn'), newFunction(stack, 'InVpc', { vpc })],
    });
    hub.addStsEndpoint(vpc);
    const parameterStack = new Stack(stack.node.root, 'ParameterMode', { env: WORKLOAD_ENV });
    BedrockHubAccess.fromParameters(parameterStack, 'Hub', { functions: [newFunction(parameterStack, 'Fn')] });

    // WHEN
    Aspects.of(stack.node.root).add(new AwsSolutionsChecks());
    for (const s of [stack, parameterStack]) {
      NagSuppressions.addStackSuppressions(s, [
        { id: 'AwsSolutions-IAM4', reason: 'The test functions use the AWSLambdaBasicExecutionRole managed policy that lambda.Function adds.' },
        { id: 'AwsSolutions-L1', reason: 'The test functions pin a runtime; the construct does not choose runtimes.' },
        { id: 'AwsSolutions-VPC7', reason: 'The test VPC needs no flow log; the construct does not create VPCs.' },
      ]);
    }

    // THEN
    for (const s of [stack, parameterStack]) {
      expect(Annotations.fromStack(s).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
      expect(Annotations.fromStack(s).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
    }
  });

  test('snapshot', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Workload', { env: WORKLOAD_ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const fromAsset = new lambda.Function(stack, 'FromAsset', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(`${__dirname}/fixtures/hub-access-handler`),
      vpc,
    });

    // WHEN
    const hub = new BedrockHubAccess(stack, 'Hub', {
      hubRoleArn: HUB_ROLE_ARN,
      externalId: 'shared-external-id',
      sessionName: 'workload',
      sessionDuration: Duration.minutes(30),
      functions: [newFunction(stack, 'Inline'), fromAsset],
    });
    hub.addStsEndpoint(vpc);
    const parameterStack = new Stack(app, 'ParameterMode', { env: WORKLOAD_ENV });
    BedrockHubAccess.fromParameters(parameterStack, 'Hub').applyToAll(parameterStack);
    newFunction(parameterStack, 'Fn');

    // THEN
    const withoutAssetHashes = (s: Stack) => JSON.parse(JSON.stringify(Template.fromStack(s).toJSON()).replace(/[0-9a-f]{64}/g, 'ASSET-HASH'));
    expect(withoutAssetHashes(stack)).toMatchSnapshot();
    expect(withoutAssetHashes(parameterStack)).toMatchSnapshot();
  });
});
