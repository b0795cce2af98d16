import { App, CfnCondition, Fn, Stack } from 'aws-cdk-lib';
import { describeRoleArnProblem } from '../../src/contract';
import { addParameters, conditional, isSameOrNestedIn, PARAMETER, PARAMETER_PATTERN } from '../../src/private/parameter-mode';

describe('parameter mode', () => {
  test('the one Fn::If / AWS::NoValue wrapper: conditional with a condition, the value itself without', () => {
    const stack = new Stack(new App(), 'S');
    const condition = new CfnCondition(stack, 'C', { expression: Fn.conditionEquals('a', 'a') });
    expect(stack.resolve(conditional(condition, 'v'))).toEqual({ 'Fn::If': ['C', 'v', { Ref: 'AWS::NoValue' }] });
    expect(conditional(undefined, 'v')).toBe('v');
  });

  test('parameters and conditions keep their fixed logical ids', () => {
    const stack = new Stack(new App(), 'S');
    const { parameters, conditions } = addParameters(stack);
    expect(stack.resolve(parameters.hubRoleArn.logicalId)).toBe(PARAMETER.ROLE_ARN);
    expect(stack.resolve(conditions.enabled.logicalId)).toBe(PARAMETER.ENABLED);
    expect(stack.resolve(conditions.externalIdSet.logicalId)).toBe(PARAMETER.EXTERNAL_ID_SET);
  });

  test.each([
    ['', true],
    ['arn:aws:iam::111122223333:role/BedrockHubRole', true],
    ['arn:aws:iam::111122223333:role/Hub,ExternalId=s3cr3t', false],
    ['arn:aws:iam::111122223333:role/Hub ExternalId', false],
    ['arn:aws:iam::1111:role/Hub', false],
  ])('the role ARN AllowedPattern agrees with the contract on %j', (value, allowed) => {
    expect(new RegExp(PARAMETER_PATTERN.ROLE_ARN).test(value)).toBe(allowed);
    if (value !== '') expect(describeRoleArnProblem(value) === undefined).toBe(allowed);
  });

  test('a stack is the same as or nested in its home', () => {
    const app = new App();
    const home = new Stack(app, 'Home');
    expect(isSameOrNestedIn(home, home)).toBe(true);
    expect(isSameOrNestedIn(new Stack(app, 'Other'), home)).toBe(false);
  });
});
