import { explainAssumeRoleError } from '../../lambda-shim/assume-role-diagnosis';
import type { RoleToAssume } from '../../lambda-shim/config';
import { BedrockHubError, BedrockHubErrorLayer } from '../../lambda-shim/errors';

const ROLE = 'arn:aws:iam::111122223333:role/BedrockHubRole';
const CALLER = 'arn:aws:sts::222233334444:assumed-role/orders-fn-role/orders-fn';
const EXTERNAL_ID = 'ext-id-SHOULD-NEVER-APPEAR-7f3a9c';
const ROLE_TO_ASSUME: RoleToAssume = {
  kind: 'hub',
  roleArn: ROLE,
  account: '111122223333',
  partition: 'aws',
  externalId: EXTERNAL_ID,
  sessionName: 'orders-fn',
  durationSeconds: 3600,
  stsRegion: 'eu-west-1',
};

/** An error shaped like the SDK's service exceptions. */
function serviceError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode, requestId: 'req-1' } });
}

function nodeError(code: string, message = `connect ${code} 10.0.0.1:443`): Error {
  return Object.assign(new Error(message), { code });
}

describe('explainAssumeRoleError: which layer failed, and what to do', () => {
  const table: [string, unknown, BedrockHubErrorLayer, RegExp][] = [
    ['AccessDenied, no identity-based policy',
      serviceError('AccessDenied', `User: ${CALLER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE} because no identity-based policy allows the sts:AssumeRole action`, 403),
      'caller-policy', /identity-based policy of arn:aws:iam::222233334444:role\/orders-fn-role \(the workload account 222233334444\) does not allow sts:AssumeRole.*identity-based policy allowing sts:AssumeRole on exactly .*BedrockHubRole.*pasted together/],
    ['AccessDenied, explicit deny in an SCP',
      serviceError('AccessDenied', `User: ${CALLER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE} with an explicit deny in a service control policy`, 403),
      'caller-policy', /explicit deny in a service control policy of the organization of account 222233334444 blocks.*No policy on the execution role can override it/],
    ['AccessDenied, no resource-based policy',
      serviceError('AccessDenied', `User: ${CALLER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE} because no resource-based policy allows the sts:AssumeRole action`, 403),
      'trust-policy', /trust policy of .*BedrockHubRole must allow arn:aws:iam::222233334444:role\/orders-fn-role \(or account 222233334444\) as Principal.*an ExternalId was sent \(BEDROCK_ASSUME_ROLE_EXTERNAL_ID\): the trust policy's sts:ExternalId condition must equal that value/],
    ['AccessDenied, the documented role trust policy wording',
      serviceError('AccessDenied', `User: ${CALLER} is not authorized to perform: sts:AssumeRole because no role trust policy allows the sts:AssumeRole action`, 403),
      'trust-policy', /trust policy of .*BedrockHubRole \(hub account 111122223333\) does not let/],
    ['AccessDenied, the bare line STS answers across accounts',
      serviceError('AccessDenied', `User: ${CALLER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`, 403),
      'assume-role-denied', /did not say by which policy.*an ExternalId was sent.*caller is in account 222233334444, the role in 111122223333.*\(1\) the role trust policy.*\(2\) The role exists.*pasted together.*\(3\) The execution role's identity-based policy/],
    ['ValidationError, role chaining cap',
      serviceError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.'),
      'session-duration', /DurationSeconds=3600.*role chaining.*set BEDROCK_ASSUME_ROLE_DURATION_SECONDS to 3600 or less/],
    ['ValidationError, role MaxSessionDuration',
      serviceError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'),
      'session-duration', /at most the hub role's MaxSessionDuration/],
    ['connection refused', nodeError('ECONNREFUSED'),
      'sts-unreachable', /Could not reach the regional STS endpoint of eu-west-1 \(sts\.eu-west-1\.amazonaws\.com\).*STS interface VPC endpoint \(com\.amazonaws\.eu-west-1\.sts\)/],
    ['connection timeout (SDK TimeoutError)', Object.assign(new Error('the request socket did not establish a connection'), { name: 'TimeoutError' }),
      'sts-unreachable', /TimeoutError/],
    ['a Node.js error the SDK wrapped (another realm, as under jest)', new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:1'),
      'sts-unreachable', /\(ECONNREFUSED: AWS SDK error wrapper/],
    ['DNS failure', nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND sts.eu-west-1.amazonaws.com'),
      'sts-unreachable', /ENOTFOUND/],
    ['happy-eyeballs AggregateError', Object.assign(new AggregateError([nodeError('ETIMEDOUT'), nodeError('ENETUNREACH')], ''), { code: undefined }),
      'sts-unreachable', /VPC endpoint/],
    ['Throttling', serviceError('Throttling', 'Rate exceeded'),
      'sts-throttled', /throttled AssumeRole.*Rate exceeded.*quota/],
    ['RegionDisabledException', serviceError('RegionDisabledException', 'STS is not activated in this region for account:222233334444.', 403),
      'sts', /not activated in eu-west-1 for the workload account 222233334444.*can activate the STS endpoint of eu-west-1/],
    ['InvalidClientTokenId (own credentials rejected)', serviceError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
      'local-credentials', /rejected the function's own credentials/],
    ['ExpiredToken on AssumeRole (own credentials expired)', serviceError('ExpiredToken', 'The security token included in the request is expired', 403),
      'local-credentials', /own credentials/],
    ['no credentials for the default chain', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      'local-credentials', /Could not load the function's own credentials.*masterCredentials/],
    ['anything else', serviceError('InternalFailure', 'boom', 500),
      'sts', /AssumeRole on .*BedrockHubRole failed in eu-west-1 \(InternalFailure: boom\).*request id/],
  ];

  test.each(table)('%s', (_, error, layer, message) => {
    const explained = explainAssumeRoleError(error, ROLE_TO_ASSUME);

    expect(explained).toBeInstanceOf(BedrockHubError);
    expect(explained.layer).toBe(layer);
    expect(explained.message).toMatch(message);
    expect(explained.cause).toBe(error);
    expect(JSON.stringify([explained.message, explained.toJSON()])).not.toContain(EXTERNAL_ID);
  });

  test('AccessDenied naming sts:TagSession is an attribution problem, tags sent or passed on transitively', () => {
    const error = serviceError('AccessDenied', `User: ${CALLER} is not authorized to perform: sts:TagSession on resource: ${ROLE}`, 403);
    const sent = explainAssumeRoleError(error, { ...ROLE_TO_ASSUME, tags: [{ Key: 'team', Value: 'orders' }] });
    expect(sent).toMatchObject({ layer: 'attribution', hint: expect.stringMatching(/unset BEDROCK_ASSUME_ROLE_SESSION_TAGS/) });
    const transitive = explainAssumeRoleError(error, ROLE_TO_ASSUME);
    expect(transitive).toMatchObject({ layer: 'attribution', hint: expect.stringMatching(/transitive session tags.*role chaining/) });
    expect(transitive.hint).not.toMatch(/unset/);
  });

  test('a source identity is sticky through role chaining: sts:SetSourceIdentity is needed even when none is configured', () => {
    const error = serviceError('AccessDenied', `User: ${CALLER} is not authorized to perform: sts:SetSourceIdentity on resource: ${ROLE}`, 403);
    const explained = explainAssumeRoleError(error, ROLE_TO_ASSUME);
    expect(explained.layer).toBe('attribution');
    expect(explained.hint).toMatch(/sticky through role chaining.*trust policy of .*BedrockHubRole.*arn:aws:iam::222233334444:role\/orders-fn-role/);
  });

  test('an unspecified AccessDenied with tags sent mentions sts:TagSession on both sides', () => {
    const error = serviceError('AccessDenied', `User: ${CALLER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`, 403);
    expect(explainAssumeRoleError(error, { ...ROLE_TO_ASSUME, sourceIdentity: 'orders-service' }).hint).toMatch(/must also allow sts:TagSession \/ sts:SetSourceIdentity/);
    expect(explainAssumeRoleError(error, ROLE_TO_ASSUME).hint).not.toMatch(/TagSession/);
  });

  test('other validation errors with tags sent are not blamed on them', () => {
    const error = serviceError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    expect(explainAssumeRoleError(error, { ...ROLE_TO_ASSUME, tags: [{ Key: 'team', Value: 'orders' }] }).layer).toBe('session-duration');
  });

  test('without an ExternalId, the hint says none was sent', () => {
    const error = serviceError('AccessDenied', `User: ${CALLER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`, 403);
    expect(explainAssumeRoleError(error, { ...ROLE_TO_ASSUME, externalId: undefined }).hint).toMatch(/no ExternalId was sent \(BEDROCK_ASSUME_ROLE_EXTERNAL_ID is not set\)/);
  });

  test('a configured endpoint is named instead of the regional default', () => {
    expect(explainAssumeRoleError(nodeError('ECONNREFUSED'), { ...ROLE_TO_ASSUME, stsEndpoint: 'http://127.0.0.1:9' }).message).toMatch(/Could not reach http:\/\/127\.0\.0\.1:9/);
  });

  test('a BedrockHubError passes through unchanged', () => {
    const original = new BedrockHubError('identity-mismatch', 'x', 'y');
    expect(explainAssumeRoleError(original, ROLE_TO_ASSUME)).toBe(original);
  });
});

