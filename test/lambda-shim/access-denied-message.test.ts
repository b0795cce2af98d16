import { isAccessDeniedSentence, loadAwsAnswers } from './fixtures/aws-answers';
import { AccessDeniedMessage, parseAccessDeniedMessage } from '../../lambda-shim/access-denied-message';

const HUB_SESSION = 'arn:aws:sts::111122223333:assumed-role/BedrockHubRole/orders-fn';
const EXEC = 'arn:aws:sts::222233334444:assumed-role/WorkloadFnRole/orders-fn';
const ROLE = 'arn:aws:iam::111122223333:role/BedrockHubRole';
const SCP = 'arn:aws:organizations::999988887777:policy/o-exampleorg1/service_control_policy/p-examplescp1';

/**
 * Wordings from the IAM user guide's "Troubleshoot access denied error messages" (its example accounts)
 * and from public reports (accounts replaced), each with what it must parse to.
 */
const TABLE: ReadonlyArray<[name: string, message: string, parsed: AccessDeniedMessage]> = [
  ['SCP implicit, no resource part (IAM guide)',
    'User: arn:aws:iam::777788889999:user/John is not authorized to perform: codecommit:ListRepositories because no service control policy allows the codecommit:ListRespositories action',
    { principalArn: 'arn:aws:iam::777788889999:user/John', principalAccount: '777788889999', action: 'codecommit:ListRepositories', policyType: 'service-control', policyTypeText: 'service control policy', denyKind: 'implicit' }],
  ['SCP explicit, no resource part (IAM guide)',
    'User: arn:aws:iam::777788889999:user/John is not authorized to perform: codecommit:ListRepositories with an explicit deny in a service control policy',
    { principalArn: 'arn:aws:iam::777788889999:user/John', principalAccount: '777788889999', action: 'codecommit:ListRepositories', policyType: 'service-control', policyTypeText: 'service control policy', denyKind: 'explicit' }],
  ['RCP explicit with a wildcard resource (IAM guide)',
    'User: arn:aws:iam::123456789012:user/John is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:123456789012:secret:* with an explicit deny in a resource control policy',
    { principalArn: 'arn:aws:iam::123456789012:user/John', principalAccount: '123456789012', action: 'secretsmanager:GetSecretValue', resourceArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:*', resourceRegion: 'us-east-1', resourceAccount: '123456789012', policyType: 'resource-control', policyTypeText: 'resource control policy', denyKind: 'explicit' }],
  ['VPC endpoint implicit (IAM guide)',
    'User: arn:aws:iam::123456789012:user/John is not authorized to perform: codecommit:ListRepositories because no VPC endpoint policy allows the codecommit:ListRepositories action',
    { principalArn: 'arn:aws:iam::123456789012:user/John', principalAccount: '123456789012', action: 'codecommit:ListRepositories', policyType: 'vpc-endpoint', policyTypeText: 'VPC endpoint policy', denyKind: 'implicit' }],
  ['permissions boundary implicit (IAM guide)',
    'User: arn:aws:iam::123456789012:user/John is not authorized to perform: codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* because no permissions boundary allows the codedeploy:ListDeployments action',
    { principalArn: 'arn:aws:iam::123456789012:user/John', principalAccount: '123456789012', action: 'codedeploy:ListDeployments', resourceArn: 'arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:*', resourceRegion: 'us-east-1', resourceAccount: '123456789012', policyType: 'permissions-boundary', policyTypeText: 'permissions boundary', denyKind: 'implicit' }],
  ['"sessions policy" as the IAM guide spells it',
    'User: arn:aws:iam::123456789012:user/John is not authorized to perform: codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* with an explicit deny in a sessions policy',
    { principalArn: 'arn:aws:iam::123456789012:user/John', principalAccount: '123456789012', action: 'codedeploy:ListDeployments', resourceArn: 'arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:*', resourceRegion: 'us-east-1', resourceAccount: '123456789012', policyType: 'session', policyTypeText: 'sessions policy', denyKind: 'explicit' }],
  ['role trust policy implicit (IAM guide)',
    'User: arn:aws:iam::123456789012:user/John is not authorized to perform: sts:AssumeRole because no role trust policy allows the sts:AssumeRole action',
    { principalArn: 'arn:aws:iam::123456789012:user/John', principalAccount: '123456789012', action: 'sts:AssumeRole', policyType: 'role-trust', policyTypeText: 'role trust policy', denyKind: 'implicit' }],
  ['role trust policy explicit: "the", not "a" (IAM guide)',
    'User: arn:aws:iam::777788889999:user/John is not authorized to perform: sts:AssumeRole with an explicit deny in the role trust policy',
    { principalArn: 'arn:aws:iam::777788889999:user/John', principalAccount: '777788889999', action: 'sts:AssumeRole', policyType: 'role-trust', policyTypeText: 'role trust policy', denyKind: 'explicit' }],
  ['VPC endpoint transitively through an SCP, capitalised action (IAM guide)',
    'User: arn:aws:sts::111122223333:assumed-role/role-name/role-session-name is not authorized to perform: SNS:Publish on resource: arn:aws:sns:us-east-1:444455556666:role-name-2 with an explicit deny in a VPC endpoint policy transitively through a service control policy',
    { principalArn: 'arn:aws:sts::111122223333:assumed-role/role-name/role-session-name', principalAccount: '111122223333', action: 'SNS:Publish', resourceArn: 'arn:aws:sns:us-east-1:444455556666:role-name-2', resourceRegion: 'us-east-1', resourceAccount: '444455556666', policyType: 'vpc-endpoint', policyTypeText: 'VPC endpoint policy', denyKind: 'explicit', transitivePolicyType: 'service-control' }],
  ['policy ARN, console link and authorization id (IAM guide)',
    'User: arn:aws:iam::123456789012:user/janedoe is not authorized to perform: iam:CreateInstanceProfile\non resource: arn:aws:iam::123456789012:instance-profile/my-instance-profile\nwith an explicit deny in an identity-based policy: arn:aws:iam::123456789012:policy/ExampleDenyPolicy.\nGo to https://us-east-1.console.aws.amazon.com/iam/home?region=us-east-1#/authorization-details/EXAMPLE1a2b3c4d5e6f7g8h9i0j for complete details,\nor call the GetRequestAuthorizationDetails API with the following authorization id: EXAMPLE1a2b3c4d5e6f7g8h9i0j',
    { principalArn: 'arn:aws:iam::123456789012:user/janedoe', principalAccount: '123456789012', action: 'iam:CreateInstanceProfile', resourceArn: 'arn:aws:iam::123456789012:instance-profile/my-instance-profile', resourceRegion: '', resourceAccount: '123456789012', policyType: 'identity-based', policyTypeText: 'identity-based policy', denyKind: 'explicit', policyArn: 'arn:aws:iam::123456789012:policy/ExampleDenyPolicy', policyAccount: '123456789012', authorizationId: 'EXAMPLE1a2b3c4d5e6f7g8h9i0j' }],
  ['SCP ARN names the management account and the organization (issue input 1)',
    `User: ${HUB_SESSION} is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:::foundation-model/anthropic.claude-opus-4-6-v1 with an explicit deny in a service control policy: ${SCP}`,
    { principalArn: HUB_SESSION, principalAccount: '111122223333', action: 'bedrock:InvokeModelWithResponseStream', resourceArn: 'arn:aws:bedrock:::foundation-model/anthropic.claude-opus-4-6-v1', resourceRegion: '', resourceAccount: '', policyType: 'service-control', policyTypeText: 'service control policy', denyKind: 'explicit', policyArn: SCP, policyAccount: '999988887777', organizationId: 'o-exampleorg1' }],
  ['bare AssumeRole denial, inside the CLI\'s wrapper',
    `An error occurred (AccessDenied) when calling the AssumeRole operation: User: ${EXEC} is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`,
    { principalArn: EXEC, principalAccount: '222233334444', action: 'sts:AssumeRole', resourceArn: ROLE, resourceRegion: '', resourceAccount: '111122223333', denyKind: 'unstated', leadingText: 'An error occurred (AccessDenied) when calling the AssumeRole operation' }],
  ['Java SDK suffix after a bare denial, resource without "arn:"',
    'User: arn:aws:iam::222233334444:user/partner is not authorized to perform: sts:AssumeRole on resource: aws:iam::*:role/partner_role (Service: AWSSecurityTokenService; Status Code: 403; Error Code: AccessDenied; Request ID: 00000000-0000-0000-0000-000000000000)',
    { principalArn: 'arn:aws:iam::222233334444:user/partner', principalAccount: '222233334444', action: 'sts:AssumeRole', resourceArn: 'aws:iam::*:role/partner_role', denyKind: 'unstated' }],
  ['Java SDK suffix after a clause',
    `User: ${EXEC} is not authorized to perform: sts:AssumeRole on resource: ${ROLE} with an explicit deny in a service control policy (Service: Sts, Status Code: 403, Request ID: 00000000-0000-0000-0000-000000000000)`,
    { principalArn: EXEC, principalAccount: '222233334444', action: 'sts:AssumeRole', resourceArn: ROLE, resourceRegion: '', resourceAccount: '111122223333', policyType: 'service-control', policyTypeText: 'service control policy', denyKind: 'explicit' }],
  ['embedded after "Model access is denied due to", wildcard resource',
    `Model access is denied due to User: ${HUB_SESSION} is not authorized to perform: aws-marketplace:ViewSubscriptions on resource: *`,
    { principalArn: HUB_SESSION, principalAccount: '111122223333', action: 'aws-marketplace:ViewSubscriptions', resourceArn: '*', denyKind: 'unstated', leadingText: 'Model access is denied due to' }],
  ['inside a JSON body, region-less resource',
    `{"Message":"User: ${HUB_SESSION} is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0 with an explicit deny in an identity-based policy"}`,
    { principalArn: HUB_SESSION, principalAccount: '111122223333', action: 'bedrock:InvokeModelWithResponseStream', resourceArn: 'arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0', resourceRegion: '', resourceAccount: '', policyType: 'identity-based', policyTypeText: 'identity-based policy', denyKind: 'explicit', leadingText: '{"Message":"' }],
  ['bare denial inside a JSON body: the closing quote is not part of the resource',
    `{"message":"User: ${HUB_SESSION} is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"}`,
    { principalArn: HUB_SESSION, principalAccount: '111122223333', action: 'bedrock:InvokeModel', resourceArn: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0', resourceRegion: 'us-east-1', resourceAccount: '', denyKind: 'unstated', leadingText: '{"message":"' }],
  ['quoted resource (S3 style) and a trailing period',
    'User: arn:aws:iam::123456789012:user/John is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::amzn-s3-demo-bucket/report.csv" because no identity-based policy allows the s3:GetObject action.',
    { principalArn: 'arn:aws:iam::123456789012:user/John', principalAccount: '123456789012', action: 's3:GetObject', resourceArn: 'arn:aws:s3:::amzn-s3-demo-bucket/report.csv', resourceRegion: '', resourceAccount: '', policyType: 'identity-based', policyTypeText: 'identity-based policy', denyKind: 'implicit' }],
  ['trailing period after a bare resource',
    `User: ${EXEC} is not authorized to perform: sts:TagSession on resource: ${ROLE}.`,
    { principalArn: EXEC, principalAccount: '222233334444', action: 'sts:TagSession', resourceArn: ROLE, resourceRegion: '', resourceAccount: '111122223333', denyKind: 'unstated' }],
  ['explicit deny without a policy type (knowledge-center article)',
    'User: arn:aws:iam::444455556666:user/ExampleUser is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:us-east-1:444455556666:volume/* with an explicit deny',
    { principalArn: 'arn:aws:iam::444455556666:user/ExampleUser', principalAccount: '444455556666', action: 'ec2:RunInstances', resourceArn: 'arn:aws:ec2:us-east-1:444455556666:volume/*', resourceRegion: 'us-east-1', resourceAccount: '444455556666', denyKind: 'explicit' }],
  ['older wording: no principal, no colon',
    'Not authorized to perform sts:AssumeRole',
    { action: 'sts:AssumeRole', denyKind: 'unstated' }],
  ['principal that is not an ARN, no "User:" prefix (a redacted report)',
    'IAM_USER_ARN is not authorized to perform: bedrock:CreateAgent',
    { principalArn: 'IAM_USER_ARN', action: 'bedrock:CreateAgent', denyKind: 'unstated' }],
  ['AWS-owned resource whose account field is "aws"',
    'User: arn:aws:iam::111122223333:user/shared-services is not authorized to perform: bedrock-agentcore:StartBrowserSession on resource: arn:aws:bedrock-agentcore:us-east-2:aws:browser/aws.browser.v1 because no identity-based policy allows the bedrock-agentcore:StartBrowserSession action',
    { principalArn: 'arn:aws:iam::111122223333:user/shared-services', principalAccount: '111122223333', action: 'bedrock-agentcore:StartBrowserSession', resourceArn: 'arn:aws:bedrock-agentcore:us-east-2:aws:browser/aws.browser.v1', resourceRegion: 'us-east-2', resourceAccount: 'aws', policyType: 'identity-based', policyTypeText: 'identity-based policy', denyKind: 'implicit' }],
  ['a redacted principal account is not reported as an account',
    'User: arn:aws:sts::0482xxxxxxxx:assumed-role/tenant-operator/dxxxx is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0 because no identity-based policy allows the bedrock:InvokeModel action',
    { principalArn: 'arn:aws:sts::0482xxxxxxxx:assumed-role/tenant-operator/dxxxx', action: 'bedrock:InvokeModel', resourceArn: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0', resourceRegion: 'us-east-1', resourceAccount: '', policyType: 'identity-based', policyTypeText: 'identity-based policy', denyKind: 'implicit' }],
  ['an unknown policy type is kept as written',
    'User: arn:aws:iam::123456789012:user/John is not authorized to perform: bedrock:InvokeModel because no data perimeter policy allows the bedrock:InvokeModel action',
    { principalArn: 'arn:aws:iam::123456789012:user/John', principalAccount: '123456789012', action: 'bedrock:InvokeModel', policyType: 'unknown', policyTypeText: 'data perimeter policy', denyKind: 'implicit' }],
];

describe('parseAccessDeniedMessage', () => {
  test.each(TABLE)('%s', (_name, message, parsed) => {
    expect(parseAccessDeniedMessage(message)).toEqual(parsed);
  });

  test.each([
    ['the Marketplace answer, which says "not authorized to perform the required …"', 'Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model.'],
    ['an account-level refusal', 'Your account is not authorized to invoke this API operation.'],
    ['the retired model-access text', "You don't have access to the model with the specified model ID."],
    ['an on-demand routing answer', 'Invocation of model ID anthropic.claude-3-7-sonnet-20250219-v1:0 with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.'],
    ['an empty message', ''],
  ])('%s is not an access-denied sentence', (_name, message) => {
    expect(parseAccessDeniedMessage(message)).toBeUndefined();
  });
});

describe('the catalogue\'s access-denied answers', () => {
  const entries = loadAwsAnswers().entries;
  const accessDenied = entries.filter((e) => isAccessDeniedSentence(e.message));

  test('there are access-denied answers of every service in the catalogue', () => {
    expect(accessDenied.length).toBeGreaterThanOrEqual(40);
    expect(new Set(accessDenied.map((e) => e.service))).toEqual(new Set(['sts', 'bedrock-runtime', 'bedrock-agent-runtime']));
  });

  test.each(accessDenied.map((e) => [e.id, e] as const))('%s parses to its `parsed` expectation', (_id, e) => {
    expect(e.parsed).toBeDefined();
    expect(parseAccessDeniedMessage(e.message!)).toEqual(e.parsed);
  });

  test('entries with a `parsed` expectation are exactly the access-denied ones', () => {
    expect(entries.filter((e) => e.parsed).map((e) => e.id)).toEqual(accessDenied.map((e) => e.id));
  });

  test('answers that are not access-denied sentences do not parse', () => {
    for (const e of entries.filter((x) => x.message !== null && !isAccessDeniedSentence(x.message))) {
      expect({ id: e.id, parsed: parseAccessDeniedMessage(e.message!) }).toEqual({ id: e.id, parsed: undefined });
    }
  });
});
