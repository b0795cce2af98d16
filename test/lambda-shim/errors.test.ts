import {
  AssumeRoleErrorContext,
  BedrockHubError,
  BedrockHubErrorLayer,
  assumeRoleError,
  errorCode,
  explainBedrockError,
  explainErrorsMiddleware,
  isExpiredTokenError,
  isNetworkError,
} from '../../lambda-shim/errors';
import { expiredTokenRetryMiddleware } from '../../lambda-shim/expired-token-retry';

const ROLE = 'arn:aws:iam::111122223333:role/BedrockHubRole';
const CALLER = 'arn:aws:sts::222233334444:assumed-role/orders-fn-role/orders-fn';
const CTX: AssumeRoleErrorContext = { roleArn: ROLE, stsRegion: 'eu-west-1', externalIdSet: true, durationSeconds: 3600 };

/** An error shaped like the SDK's service exceptions. */
function serviceError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode, requestId: 'req-1' } });
}

function nodeError(code: string, message = `connect ${code} 10.0.0.1:443`): Error {
  return Object.assign(new Error(message), { code });
}

describe('BedrockHubError', () => {
  test('message carries layer, problem and hint; cause and JSON are kept', () => {
    const cause = serviceError('AccessDenied', 'nope', 403);
    const error = new BedrockHubError('trust-policy', 'It failed.', 'Do this.', cause);

    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('BedrockHubError');
    expect(error.message).toBe('bedrock-hub-access (trust-policy): It failed. Do this.');
    expect(error.cause).toBe(cause);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'BedrockHubError',
      layer: 'trust-policy',
      message: error.message,
      hint: 'Do this.',
      cause: { name: 'AccessDenied', code: 'AccessDenied', message: 'nope', httpStatusCode: 403, requestId: 'req-1' },
    });
  });
});

describe('assumeRoleError: which layer failed, and what to do', () => {
  const table: [string, unknown, BedrockHubErrorLayer, RegExp][] = [
    ['AccessDenied, no identity-based policy',
      serviceError('AccessDenied', `User: ${CALLER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE} because no identity-based policy allows the sts:AssumeRole action`, 403),
      'caller-policy', /orders-fn-role\/orders-fn may not call sts:AssumeRole.*identity-based policy allowing sts:AssumeRole on exactly .*BedrockHubRole.*pasted together/],
    ['AccessDenied, explicit deny in an SCP',
      serviceError('AccessDenied', `User: ${CALLER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE} with an explicit deny in a service control policy`, 403),
      'caller-policy', /permissions boundary or SCP in the workload account/],
    ['AccessDenied, no resource-based policy',
      serviceError('AccessDenied', `User: ${CALLER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE} because no resource-based policy allows the sts:AssumeRole action`, 403),
      'trust-policy', /trust policy of .*BedrockHubRole must allow .*orders-fn \(or its account\) as Principal.*sts:ExternalId condition must equal BEDROCK_ASSUME_ROLE_EXTERNAL_ID/],
    ['AccessDenied, older message that does not say which policy',
      serviceError('AccessDenied', `User: ${CALLER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`, 403),
      'assume-role-denied', /did not say by which policy.*\(1\) The workload side.*role ARN and ExternalId pasted together.*\(2\) The hub side.*trust policy/],
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
    ['RegionDisabledException', serviceError('RegionDisabledException', 'STS is not activated in this region', 403),
      'sts', /Activate the STS endpoint for eu-west-1/],
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
    const explained = assumeRoleError(error, CTX);

    expect(explained).toBeInstanceOf(BedrockHubError);
    expect(explained.layer).toBe(layer);
    expect(explained.message).toMatch(message);
    expect(explained.cause).toBe(error);
  });

  test('AccessDenied naming sts:TagSession is an attribution problem only when tags were sent', () => {
    const error = serviceError('AccessDenied', `User: ${CALLER} is not authorized to perform: sts:TagSession on resource: ${ROLE}`, 403);
    expect(assumeRoleError(error, { ...CTX, tagKeys: ['team'] }).layer).toBe('attribution');
    expect(assumeRoleError(error, CTX).layer).toBe('assume-role-denied');
  });

  test('an unspecified AccessDenied with tags sent mentions sts:TagSession on both sides', () => {
    const error = serviceError('AccessDenied', `User: ${CALLER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`, 403);
    expect(assumeRoleError(error, { ...CTX, sourceIdentitySet: true }).hint).toMatch(/both sides must also allow sts:TagSession \/ sts:SetSourceIdentity/);
    expect(assumeRoleError(error, CTX).hint).not.toMatch(/TagSession/);
  });

  test('other validation errors with tags sent are not blamed on them', () => {
    const error = serviceError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    expect(assumeRoleError(error, { ...CTX, tagKeys: ['team'] }).layer).toBe('session-duration');
  });

  test('without an ExternalId, the hint says none was sent', () => {
    const error = serviceError('AccessDenied', `User: ${CALLER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`, 403);
    expect(assumeRoleError(error, { ...CTX, externalIdSet: false }).hint).toMatch(/BEDROCK_ASSUME_ROLE_EXTERNAL_ID is not set, so no ExternalId was sent/);
  });

  test('a configured endpoint is named instead of the regional default', () => {
    expect(assumeRoleError(nodeError('ECONNREFUSED'), { ...CTX, stsEndpoint: 'http://127.0.0.1:9' }).message).toMatch(/Could not reach http:\/\/127\.0\.0\.1:9/);
  });

  test('a BedrockHubError passes through unchanged', () => {
    const original = new BedrockHubError('identity-mismatch', 'x', 'y');
    expect(assumeRoleError(original, CTX)).toBe(original);
  });
});

describe('explainBedrockError', () => {
  const ctx = { roleArn: ROLE, account: '111122223333', region: 'us-east-1' };
  const table: [string, Error, BedrockHubErrorLayer | 'unchanged', RegExp?][] = [
    ['AccessDeniedException for the hub role',
      serviceError('AccessDeniedException', 'User: arn:aws:sts::111122223333:assumed-role/BedrockHubRole/orders-fn is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku because no identity-based policy allows the bedrock:InvokeModel action', 403),
      'hub-permission', /AssumeRole succeeded.*allow bedrock:InvokeModel.*enable access to the model in us-east-1 \(model access is per account and per region\)/],
    ['model access not enabled',
      serviceError('AccessDeniedException', "You don't have access to the model with the specified model ID.", 403),
      'hub-permission', /has no access to this model.*Enable access to the model in the hub account 111122223333, region us-east-1 .*per account and per region/],
    ['application inference profile in the workload account',
      serviceError('AccessDeniedException', 'User: arn:aws:sts::111122223333:assumed-role/BedrockHubRole/s is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1:222233334444:application-inference-profile/abc', 403),
      'hub-resource', /application-inference-profile\/abc, which is in account 222233334444.*create the resource in the hub account 111122223333/],
    ['guardrail in the workload account (not found)',
      serviceError('ResourceNotFoundException', 'Guardrail arn:aws:bedrock:us-east-1:222233334444:guardrail/g1 was not found', 404),
      'hub-resource', /guardrail\/g1, which is in account 222233334444/],
    ['call made with the function\'s own credentials',
      serviceError('AccessDeniedException', `User: ${CALLER} is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/m`, 403),
      'wrong-client', /made as .*orders-fn, not as the hub role.*hub\.client/],
    ['unknown model id',
      serviceError('ValidationException', 'The provided model identifier is invalid.'),
      'hub-resource', /does not know the resource.*exists in 111122223333 and us-east-1/],
    ['throttling is left alone', serviceError('ThrottlingException', 'Too many requests', 429), 'unchanged', undefined],
    ['other validation errors are left alone', serviceError('ValidationException', 'messages: must not be empty'), 'unchanged', undefined],
  ];

  test.each(table)('%s', (_, error, layer, message) => {
    const explained = explainBedrockError(error, ctx);
    if (layer === 'unchanged') {
      expect(explained).toBe(error);
      return;
    }
    expect(explained).toBeInstanceOf(BedrockHubError);
    expect((explained as BedrockHubError).layer).toBe(layer);
    expect((explained as BedrockHubError).message).toMatch(message!);
    expect((explained as BedrockHubError).cause).toBe(error);
  });
});

describe('explained errors keep what SDK-aware code reads', () => {
  test('$metadata and $fault of the service error', () => {
    const error = serviceError('AccessDeniedException', "You don't have access to the model with the specified model ID.", 403);
    const explained = explainBedrockError(error, { roleArn: ROLE, account: '111122223333', region: 'us-east-1' }) as BedrockHubError;

    expect(explained.$metadata).toEqual({ httpStatusCode: 403, requestId: 'req-1' });
    expect(explained.$fault).toBe('client');
    expect(JSON.parse(JSON.stringify(explained)).cause.requestId).toBe('req-1');
  });

  test('a target role is named as such', () => {
    const error = serviceError('ResourceNotFoundException', 'Failed to retrieve resource', 404);
    const explained = explainBedrockError(error, { roleArn: 'arn:aws:iam::333344445555:role/AgentRole', account: '333344445555', region: 'us-east-1', target: true });
    expect((explained as BedrockHubError).message).toMatch(/of the target account 333344445555 does not know the resource.*Resources resolve in the target account/);
  });

  test('a BedrockHubError made before the call has no $metadata', () => {
    expect(new BedrockHubError('configuration', 'x', 'y')).not.toHaveProperty('$metadata');
  });
});

describe('explainErrorsMiddleware', () => {
  const ctx = { roleArn: ROLE, account: '111122223333', region: 'us-east-1' };
  const denied = () => serviceError('AccessDeniedException', "You don't have access to the model with the specified model ID.", 403);
  const expired = () => serviceError('ExpiredTokenException', 'The security token included in the request is expired', 403);

  test('outside the ExpiredToken retry: the retry sees the raw ExpiredTokenException, the explainer what the retry lets through', async () => {
    // GIVEN a service that answers ExpiredToken, then AccessDenied
    const answers = [expired(), denied()];
    const seenByRetry: unknown[] = [];
    const service = jest.fn(async () => {
      throw answers.shift();
    });
    const invalidated: (string | undefined)[] = [];
    const retry = expiredTokenRetryMiddleware({ invalidate: (key) => invalidated.push(key) });
    const spy = (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => next(args).catch((e: unknown) => {
      seenByRetry.push(e);
      throw e;
    });
    const context = { clientName: 'BedrockRuntimeClient', commandName: 'ConverseCommand' };
    const handler = explainErrorsMiddleware(ctx)(retry(spy(service as never) as never, context) as never, context);

    // WHEN
    const error = await (handler({ input: {} }) as Promise<unknown>).catch((e: unknown) => e);

    // THEN the retry saw the service's own errors and retried once; the caller gets the explanation
    expect(seenByRetry.map(errorCode)).toEqual(['ExpiredTokenException', 'AccessDeniedException']);
    expect(service).toHaveBeenCalledTimes(2);
    expect(invalidated).toHaveLength(1);
    expect(error).toBeInstanceOf(BedrockHubError);
    expect(error).toMatchObject({ layer: 'hub-permission', $metadata: { httpStatusCode: 403 } });
  });

  test('only Bedrock clients: other clients\' errors pass unchanged', async () => {
    const error = denied();
    const handler = explainErrorsMiddleware(ctx)((async () => {
      throw error;
    }) as never, { clientName: 'S3Client' });
    await expect(handler({ input: {} })).rejects.toBe(error);
  });
});

describe('reading errors', () => {
  test.each([
    [serviceError('ExpiredTokenException', 'expired', 403), true],
    [Object.assign(new Error('x'), { Code: 'ExpiredToken' }), true],
    [serviceError('AccessDeniedException', 'x', 403), false],
    [undefined, false],
  ])('isExpiredTokenError, case %#', (error, expected) => {
    expect(isExpiredTokenError(error)).toBe(expected);
  });

  test('a service answer is never a network error, even if its code looks like one', () => {
    expect(isNetworkError(serviceError('RequestTimeout', 'x', 408))).toBe(false);
    expect(isNetworkError(Object.assign(new Error('wrapped'), { cause: nodeError('ECONNRESET') }))).toBe(true);
    expect(errorCode('not an error')).toBeUndefined();
  });
});
