import { resolveTemplate, TemplateError } from '../../../emulator';
import { HUB_ROLE_ARN, TEMPLATE_WITH_PARAMETERS, WORKLOAD } from '../fixtures';

function resolveOutput(value: unknown, parameters: Record<string, string> = {}): unknown {
  const stack = resolveTemplate({ template: { ...TEMPLATE_WITH_PARAMETERS, Outputs: { Value: { Value: value } } }, accountId: WORKLOAD, region: 'us-east-1', stackName: 'Demo', parameters });
  if (stack.warnings.length) {
    throw new Error(stack.warnings.join('; '));
  }
  return stack.outputs.Value;
}

describe('intrinsic functions', () => {
  test.each<[string, unknown, unknown]>([
    ['Ref of a pseudo parameter', { Ref: 'AWS::AccountId' }, WORKLOAD],
    ['Ref of AWS::Partition', { Ref: 'AWS::Partition' }, 'aws'],
    ['Ref of AWS::URLSuffix', { Ref: 'AWS::URLSuffix' }, 'amazonaws.com'],
    ['Ref of a parameter default', { Ref: 'Stage' }, 'prod'],
    ['Ref of a list parameter', { Ref: 'Zones' }, ['a', 'b']],
    ['Fn::Join', { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] }, `arn:aws:iam::${WORKLOAD}:root`],
    ['Fn::Sub with pseudo parameters and a literal', { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}/${!literal}' }, expect.stringMatching(/^arn:aws:s3:::demo-bucket-[a-z0-9]{12}\/\$\{literal\}$/)],
    ['Fn::Sub with variables', { 'Fn::Sub': ['${A}-${Stage}', { A: { Ref: 'AWS::Region' } }] }, 'us-east-1-prod'],
    ['Fn::Sub with an attribute', { 'Fn::Sub': '${Role.Arn}' }, expect.stringMatching(/^arn:aws:iam::111111111111:role\/service\/Demo-Role-[A-Z0-9]{13}$/)],
    ['Fn::GetAtt (list form)', { 'Fn::GetAtt': ['Table', 'Arn'] }, expect.stringMatching(/^arn:aws:dynamodb:us-east-1:111111111111:table\/Demo-Table-[A-Z0-9]{13}$/)],
    ['Fn::GetAtt (string form)', { 'Fn::GetAtt': 'Role.RoleId' }, expect.stringMatching(/^AROA[A-Z0-9]{17}$/)],
    ['Fn::If on a true condition', { 'Fn::If': ['IsProd', 'yes', 'no'] }, 'yes'],
    ['Fn::If on a composed condition', { 'Fn::If': ['ProdWithHub', 'yes', 'no'] }, 'no'],
    ['Fn::Select of Fn::Split', { 'Fn::Select': [1, { 'Fn::Split': [':', 'a:b:c'] }] }, 'b'],
    ['Fn::FindInMap', { 'Fn::FindInMap': ['Models', { Ref: 'AWS::Region' }, 'Default'] }, 'amazon.nova-lite-v1:0'],
    ['Fn::Base64', { 'Fn::Base64': 'hi' }, 'aGk='],
    ['Fn::GetAZs', { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }, 'us-east-1a'],
    ['AWS::NoValue removes a list element', [1, { 'Fn::If': ['HasHub', 2, { Ref: 'AWS::NoValue' }] }, 3], [1, 3]],
    ['AWS::NoValue removes a property', { a: 1, b: { 'Fn::If': ['HasHub', 2, { Ref: 'AWS::NoValue' }] } }, { a: 1 }],
  ])('%s', (_, expression, expected) => {
    expect(resolveOutput(expression)).toEqual(expected);
  });

  test('parameter values override defaults and flip conditions', () => {
    expect(resolveOutput({ 'Fn::If': ['ProdWithHub', { Ref: 'HubRoleArn' }, 'none'] }, { HubRoleArn: HUB_ROLE_ARN })).toBe(HUB_ROLE_ARN);
  });

  test.each<[string, () => unknown, RegExp]>([
    ['a parameter without default or value', () => resolveTemplate({ template: { Parameters: { X: { Type: 'String' } } }, accountId: WORKLOAD, stackName: 'S' }),
      /template S: parameter X has no Default and no value was given/],
    ['a value for an undeclared parameter', () => resolveTemplate({ template: {}, accountId: WORKLOAD, stackName: 'S', parameters: { Nope: 'x' } }),
      /parameter Nope was given a value but the template declares no such parameter/],
    ['an unsupported intrinsic', () => resolveOutput({ 'Fn::Cidr': ['10.0.0.0/16', 2, 8] }), /Fn::Cidr is not supported/],
    ['a Ref to nothing', () => resolveOutput({ Ref: 'Missing' }), /Ref to unknown parameter or resource Missing/],
    ['an account that is not 12 digits', () => resolveTemplate({ template: {}, accountId: '123', stackName: 'S' }), /accountId must be 12 digits/],
  ])('fails clearly on %s', (_, load, message) => {
    expect(load).toThrow(message);
  });
});

test('TemplateError names the stack', () => {
  expect(new TemplateError('Hub', 'broken').message).toBe('template Hub: broken');
});
