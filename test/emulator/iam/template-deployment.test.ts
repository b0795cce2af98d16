import { CfnTemplate, deploymentOf, roleIn, rolesIn } from '../../../emulator';
import { allow, HUB_ROLE_ARN, WORKLOAD, workloadTemplate } from '../fixtures';

const withManagedPolicy: CfnTemplate = {
  Resources: {
    ...workloadTemplate().Resources,
    Shared: {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: { PolicyDocument: allow('s3:GetObject', '*'), Roles: [{ Ref: 'HandlerServiceRoleFCDC14AE' }] },
    },
  },
};

describe('rolesIn', () => {
  test('gives each role its inline, attached and managed policies, and the AWS managed policies it cannot evaluate', () => {
    // WHEN
    const [role] = rolesIn(withManagedPolicy, { account: WORKLOAD, stackName: 'Workload' });

    // THEN
    expect(role.arn).toMatch(new RegExp(`^arn:aws:iam::${WORKLOAD}:role/Workload-HandlerServiceRole`));
    expect(role.identityPolicies.map((p) => p.document)).toEqual([allow('sts:AssumeRole', HUB_ROLE_ARN), allow('s3:GetObject', '*')]);
    expect(role.externalManagedPolicyArns).toEqual(['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']);
    expect(role.maxSessionDurationSeconds).toBe(3600);
  });

  test('roleIn wants exactly one match', () => {
    expect(roleIn(withManagedPolicy, { account: WORKLOAD }).logicalId).toBe('HandlerServiceRoleFCDC14AE');
    expect(() => roleIn(withManagedPolicy, { account: WORKLOAD }, () => false)).toThrow(/expected exactly one matching role in the template, found 0/);
  });

  test('deploymentOf resolves the whole stack for one account', () => {
    expect(deploymentOf(withManagedPolicy, { account: WORKLOAD }).functions.map((f) => f.logicalId)).toEqual(['Handler886CB40B']);
  });
});
