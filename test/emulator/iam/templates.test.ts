import { App, Aws, CfnCondition, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CfnTemplate, deployedResources, resolveTemplate } from '../../../emulator';
import { HUB, HUB_ROLE_ARN, startEmulator, stopChecked, temporaryDirectory, TEMPLATE_WITH_PARAMETERS, WORKLOAD } from '../fixtures';

/** {@link TEMPLATE_WITH_PARAMETERS} with a policy that exists only with a hub role. */
const withHubPolicy: CfnTemplate = {
  ...TEMPLATE_WITH_PARAMETERS,
  Resources: {
    ...TEMPLATE_WITH_PARAMETERS.Resources,
    HubPolicy: {
      Type: 'AWS::IAM::Policy',
      Condition: 'HasHub',
      Properties: {
        PolicyName: 'hub',
        PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: { Ref: 'HubRoleArn' } }] },
        Roles: [{ Ref: 'Role' }],
      },
    },
  },
};

describe('resources', () => {
  test('generated physical names are deterministic and shaped like CloudFormation\'s', () => {
    // WHEN the same template is resolved twice
    const first = resolveTemplate({ template: TEMPLATE_WITH_PARAMETERS, accountId: WORKLOAD, stackName: 'Demo' });
    const second = resolveTemplate({ template: TEMPLATE_WITH_PARAMETERS, accountId: WORKLOAD, stackName: 'Demo' });

    // THEN
    expect(first.roles[0].roleName).toBe(second.roles[0].roleName);
    expect(first.roles[0].roleName).toMatch(/^Demo-Role-[A-Z0-9]{13}$/);
    expect(first.roles[0].arn).toBe(`arn:aws:iam::${WORKLOAD}:role/service/${first.roles[0].roleName}`);
    expect(first.tables[0]).toMatchObject({ tableName: expect.stringMatching(/^Demo-Table-[A-Z0-9]{13}$/), keySchema: [{ attributeName: 'pk', keyType: 'HASH' }] });
    expect(first.buckets[0].bucketName).toMatch(/^demo-bucket-[a-z0-9]{12}$/);
  });

  test('long generated role names are truncated to 64 characters', () => {
    const template: CfnTemplate = { Resources: { ['A'.repeat(80)]: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } } } };
    const stack = resolveTemplate({ template, accountId: WORKLOAD, stackName: 'AVeryLongStackNameForTesting' });
    expect(stack.roles[0].roleName).toHaveLength(64);
  });

  test('a resource whose condition is false does not exist', () => {
    const template = withHubPolicy;
    expect(resolveTemplate({ template, accountId: WORKLOAD, stackName: 'Demo' }).skipped).toEqual(['HubPolicy']);
    expect(resolveTemplate({ template, accountId: WORKLOAD, stackName: 'Demo', parameters: { HubRoleArn: HUB_ROLE_ARN } }).policies[0].roleNames)
      .toEqual([expect.stringMatching(/^Demo-Role-/)]);
  });

  test('Bedrock resources become guardrails, profiles, agents and knowledge TEMPLATE_WITH_PARAMETERSs of the account', async () => {
    // GIVEN
    const { emulator } = await startEmulator();
    const template: CfnTemplate = {
      Resources: {
        Guardrail: { Type: 'AWS::Bedrock::Guardrail', Properties: { Name: 'hub-guardrail', WordPolicyConfig: { WordsConfig: [{ Text: 'forbidden' }] } } },
        Profile: {
          Type: 'AWS::Bedrock::ApplicationInferenceProfile',
          Properties: { InferenceProfileName: 'team-a', ModelSource: { CopyFrom: { 'Fn::Sub': 'arn:aws:bedrock:${AWS::Region}::foundation-model/amazon.nova-lite-v1:0' } } },
        },
        Agent: { Type: 'AWS::Bedrock::Agent', Properties: { AgentName: 'helper', FoundationModel: 'amazon.nova-lite-v1:0' } },
        Alias: { Type: 'AWS::Bedrock::AgentAlias', Properties: { AgentAliasName: 'live', AgentId: { 'Fn::GetAtt': ['Agent', 'AgentId'] } } },
        Kb: { Type: 'AWS::Bedrock::KnowledgeBase', Properties: { Name: 'docs' } },
      },
    };

    try {
      // WHEN
      const stack = emulator.loadTemplate({ template, accountId: HUB, stackName: 'Hub' });

      // THEN
      const guardrail = emulator.bedrock.lookupGuardrail(stack.guardrails[0].guardrailId, HUB, 'us-east-1').resource;
      expect(guardrail).toMatchObject({ name: 'hub-guardrail', blockedWords: ['forbidden'] });
      expect(emulator.bedrock.lookupApplicationProfile(stack.applicationInferenceProfiles[0].arn, HUB, 'us-east-1').resource)
        .toMatchObject({ name: 'team-a', copyFrom: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0' });
      const agent = emulator.bedrock.agent(HUB, 'us-east-1', stack.agents[0].agentId)!;
      expect(agent.aliases).toEqual(new Set(['TSTALIASID', stack.agentAliases[0].agentAliasId]));
      expect(stack.agentAliases[0].arn).toBe(`arn:aws:bedrock:us-east-1:${HUB}:agent-alias/${agent.agentId}/${stack.agentAliases[0].agentAliasId}`);
      expect(emulator.bedrock.knowledgeBase(HUB, 'us-east-1', stack.knowledgeBases[0].knowledgeBaseId)).toMatchObject({ name: 'docs' });
    } finally {
      await stopChecked(emulator);
    }
  });

  test('Fn::ImportValue reads the exports of a stack loaded before, in the same account and region', async () => {
    const { emulator } = await startEmulator();
    try {
      emulator.loadTemplate({ accountId: WORKLOAD, stackName: 'Shared', template: { Outputs: { Arn: { Value: HUB_ROLE_ARN, Export: { Name: 'HubRoleArn' } } } } });
      const consumer: CfnTemplate = { Outputs: { Imported: { Value: { 'Fn::ImportValue': 'HubRoleArn' } } } };
      expect(emulator.loadTemplate({ accountId: WORKLOAD, stackName: 'Consumer', template: consumer }).outputs.Imported).toBe(HUB_ROLE_ARN);
      expect(() => emulator.loadTemplate({ accountId: HUB, stackName: 'Elsewhere', template: { Resources: { R: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::ImportValue': 'HubRoleArn' } } } } } }))
        .toThrow(/Fn::ImportValue: no stack exports 'HubRoleArn' in 222222222222\/us-east-1/);
    } finally {
      await stopChecked(emulator);
    }
  });
});

describe('CDK stacks', () => {
  /** A workload stack in the construct library's parameter mode: empty parameter → no statement, no variable. */
  function parameterModeApp(outdir?: string): { app: App; stack: Stack } {
    const app = new App(outdir ? { outdir } : {});
    const stack = new Stack(app, 'Workload', { env: { account: WORKLOAD, region: 'eu-west-1' } });
    const hubRoleArn = new CfnParameter(stack, 'HubRoleArn', { type: 'String', default: '' });
    const hasHub = new CfnCondition(stack, 'HasHub', { expression: Fn.conditionNot(Fn.conditionEquals(hubRoleArn.valueAsString, '')) });
    const fn = new lambda.Function(stack, 'Handler', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => "ok";'),
    });
    fn.addEnvironment('BEDROCK_ASSUME_ROLE_ARN', Fn.conditionIf(hasHub.logicalId, hubRoleArn.valueAsString, Aws.NO_VALUE).toString());
    const grant = new iam.CfnPolicy(stack, 'HubAccess', {
      policyName: 'hub-access',
      roles: [fn.role!.roleName],
      policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: hubRoleArn.valueAsString }] },
    });
    grant.cfnOptions.condition = hasHub;
    return { app, stack };
  }

  test.each<[string, Record<string, string>, boolean]>([
    ['with a hub role ARN', { HubRoleArn: HUB_ROLE_ARN }, true],
    ['with an empty parameter', {}, false],
  ])('a synthesized stack loads %s: role, policies and function environment', async (_, parameters, hubMode) => {
    // GIVEN
    const { emulator } = await startEmulator();
    const { stack } = parameterModeApp();
    try {
      // WHEN
      const loaded = emulator.loadStack(stack, { parameters });

      // THEN
      const fn = emulator.lambdaFunction('Handler');
      expect(fn).toMatchObject({ accountId: WORKLOAD, region: 'eu-west-1', functionName: expect.stringMatching(/^Workload-Handler886CB40B-[A-Za-z0-9]{12}$/) });
      expect(fn.environment).toEqual(hubMode ? { BEDROCK_ASSUME_ROLE_ARN: HUB_ROLE_ARN } : {});
      expect(fn.inlineCode).toContain('exports.handler');
      expect(loaded.skipped).toEqual(hubMode ? [] : ['HubAccess']);
      const credentials = await emulator.lambdaCredentials('Handler');
      const session = emulator.credentials.lookup(credentials.accessKeyId)!.principal;
      const decision = await emulator.policies.authorize({ principal: session, action: 'sts:AssumeRole', resource: HUB_ROLE_ARN, resourceAccount: HUB });
      expect(decision).toMatchObject(hubMode ? { allowed: false, policyType: 'resource' } : { allowed: false, policyType: 'identity' });
    } finally {
      await stopChecked(emulator);
    }
  });

  test('a cloud assembly directory loads every stack with its account', async () => {
    // GIVEN an app synthesized to disk
    const outdir = temporaryDirectory('templates-test');
    const { app } = parameterModeApp(outdir);
    app.synth();
    const { emulator } = await startEmulator();
    try {
      // WHEN
      const stacks = emulator.loadCloudAssembly(outdir, { parameters: { Workload: { HubRoleArn: HUB_ROLE_ARN } } });

      // THEN
      expect(stacks.map((s) => [s.stackName, s.accountId, s.region])).toEqual([['Workload', WORKLOAD, 'eu-west-1']]);
      expect(emulator.lambdaFunction('Workload/Handler886CB40B').environment).toEqual({ BEDROCK_ASSUME_ROLE_ARN: HUB_ROLE_ARN });
    } finally {
      await stopChecked(emulator);
    }
  });
});

describe('deployedResources', () => {
  const switched: CfnTemplate = {
    ...withHubPolicy,
    Resources: {
      ...withHubPolicy.Resources,
      Fn: {
        Type: 'AWS::Lambda::Function',
        DependsOn: 'Role',
        Properties: {
          Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
          Environment: { Variables: { HUB: { 'Fn::If': ['HasHub', { Ref: 'HubRoleArn' }, { Ref: 'AWS::NoValue' }] }, STAGE: { Ref: 'Stage' } } },
        },
      },
    },
  };
  const deploy = (parameters: Record<string, string> = {}) => deployedResources({ template: switched, accountId: WORKLOAD, stackName: 'Demo', parameters });

  test('leaves out resources whose condition is false and removes AWS::NoValue', () => {
    // WHEN
    const resources = deploy();

    // THEN
    expect(Object.keys(resources)).toEqual(['Role', 'Table', 'Bucket', 'Fn']);
    expect(resources.Fn.Properties.Environment).toEqual({ Variables: { STAGE: 'prod' } });
    expect(resources.Fn.DependsOn).toEqual('Role');
  });

  test('resolves parameters, conditions and attributes with the given values', () => {
    // WHEN
    const resources = deploy({ HubRoleArn: HUB_ROLE_ARN, Stage: 'dev' });

    // THEN
    expect(resources.HubPolicy.Properties.PolicyDocument.Statement[0].Resource).toBe(HUB_ROLE_ARN);
    expect(resources.HubPolicy.Properties.Roles).toEqual([resolveTemplate({ template: switched, accountId: WORKLOAD, stackName: 'Demo' }).roles[0].roleName]);
    expect(resources.Fn.Properties.Environment).toEqual({ Variables: { HUB: HUB_ROLE_ARN, STAGE: 'dev' } });
    expect(resources.Fn.Properties.Role).toMatch(new RegExp(`^arn:aws:iam::${WORKLOAD}:role/service/`));
  });

  test('refuses a parameter the template does not declare', () => {
    expect(() => deploy({ Nope: 'x' })).toThrow(/parameter Nope was given a value but the template declares no such parameter/);
  });
});
