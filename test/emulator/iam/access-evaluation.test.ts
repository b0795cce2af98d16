import { evaluateAccess } from '../../../emulator';
import { allow, EXTERNAL_ID, HUB, HUB_ROLE_ARN, WORKLOAD } from '../fixtures';

const caller = { roleArn: `arn:aws:iam::${WORKLOAD}:role/Fn`, sessionName: 'fn' };
const trust = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${WORKLOAD}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } } }],
};

/** The workload function's AssumeRole on the hub role, with the given context keys. */
function assumeHubRole(context?: Record<string, string>) {
  return evaluateAccess({
    caller,
    action: 'sts:AssumeRole',
    resource: HUB_ROLE_ARN,
    identityPolicies: [{ name: 'assume', document: allow('sts:AssumeRole', HUB_ROLE_ARN) }],
    resourcePolicy: trust,
    context,
  });
}

describe('evaluateAccess', () => {
  test('allows a cross-account AssumeRole that identity and trust policy both allow, and says which statements did', async () => {
    // WHEN
    const decision = await assumeHubRole({ 'sts:ExternalId': EXTERNAL_ID });

    // THEN
    expect(decision).toMatchObject({ decision: 'Allowed', allowed: true });
    expect(decision.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^identity policy 'assume' statement/)]));
  });

  test('denies without the ExternalId and names the policy that does not allow it', async () => {
    // WHEN
    const decision = await assumeHubRole();

    // THEN
    expect(decision).toMatchObject({ decision: 'ImplicitlyDenied', allowed: false });
    expect(decision.reasons).toEqual(['no statement of the resource policy allows it']);
  });

  test('refuses a context key that does not apply to the action', async () => {
    await expect(evaluateAccess({
      caller,
      action: 'bedrock:InvokeModel',
      resource: `arn:aws:bedrock:us-east-1:${HUB}:application-inference-profile/abc`,
      identityPolicies: [{ name: 'invoke', document: allow('bedrock:InvokeModel', '*') }],
      context: { 'sts:ExternalId': EXTERNAL_ID },
    })).rejects.toThrow(/ignored the context keys sts:ExternalId for bedrock:InvokeModel/);
  });
});
