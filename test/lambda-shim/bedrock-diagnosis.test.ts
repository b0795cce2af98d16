import { callDetailsOf, explainBedrockError, explainErrorsMiddleware } from '../../lambda-shim/bedrock-diagnosis';
import type { BedrockCallContext } from '../../lambda-shim/bedrock-diagnosis';
import { BedrockHubError, BedrockHubErrorLayer } from '../../lambda-shim/errors';
import { expiredTokenRetryMiddleware } from '../../lambda-shim/expired-token-retry';
import { errorCode } from '../../lambda-shim/sdk-errors';

const ROLE = 'arn:aws:iam::111122223333:role/BedrockHubRole';
const CALLER = 'arn:aws:sts::222233334444:assumed-role/orders-fn-role/orders-fn';

/** An error shaped like the SDK's service exceptions. */
function serviceError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode, requestId: 'req-1' } });
}

describe('explainBedrockError', () => {
  const ctx: BedrockCallContext = { kind: 'hub', roleArn: ROLE, account: '111122223333', region: 'us-east-1' };
  const table: [string, Error, BedrockHubErrorLayer | 'unchanged', RegExp?][] = [
    ['AccessDeniedException for the hub role',
      serviceError('AccessDeniedException', 'User: arn:aws:sts::111122223333:assumed-role/BedrockHubRole/orders-fn is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku because no identity-based policy allows the bedrock:InvokeModel action', 403),
      'hub-permission', /No identity-based policy of the hub role .*BedrockHubRole \(account 111122223333\) allows bedrock:InvokeModel.*lack bedrock:InvokeModel on this resource/],
    ['the retired model-access answer',
      serviceError('AccessDeniedException', "You don't have access to the model with the specified model ID.", 403),
      'model-access', /refused the hub account 111122223333 the model.*Serverless models are enabled by default.*Marketplace subscription.*first-time-use form.*payment method/],
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
      'hub-resource', /does not know the model.*account 111122223333, region us-east-1/],
    ['throttling is the hub account\'s quota', serviceError('ThrottlingException', 'Too many requests', 429), 'hub-quota', /quotas are those of the hub account 111122223333, in the region called \(us-east-1/],
    ['other errors are left alone', serviceError('InternalServerException', 'boom', 500), 'unchanged', undefined],
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
    const explained = explainBedrockError(error, { kind: 'hub', roleArn: ROLE, account: '111122223333', region: 'us-east-1' }) as BedrockHubError;

    expect(explained.$metadata).toEqual({ httpStatusCode: 403, requestId: 'req-1' });
    expect(explained.$fault).toBe('client');
    expect(JSON.parse(JSON.stringify(explained)).cause.requestId).toBe('req-1');
  });

  test('a target role is named as such', () => {
    const error = serviceError('ResourceNotFoundException', 'Failed to retrieve resource', 404);
    const explained = explainBedrockError(error, { kind: 'target', roleArn: 'arn:aws:iam::333344445555:role/AgentRole', account: '333344445555', region: 'us-east-1' });
    expect((explained as BedrockHubError).message).toMatch(/of the target account 333344445555 does not know the resource.*Resources resolve in the target account/);
  });
});

describe('explainErrorsMiddleware', () => {
  const ctx: BedrockCallContext = { kind: 'hub', roleArn: ROLE, account: '111122223333', region: 'us-east-1' };
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
    expect(error).toMatchObject({ layer: 'model-access', $metadata: { httpStatusCode: 403 } });
  });

  test('only Bedrock clients: other clients\' errors pass unchanged', async () => {
    const error = denied();
    const handler = explainErrorsMiddleware(ctx)((async () => {
      throw error;
    }) as never, { clientName: 'S3Client' });
    await expect(handler({ input: {} })).rejects.toBe(error);
  });
});

describe('the middleware reads what the request carried', () => {
  const ctx: BedrockCallContext = { kind: 'hub', roleArn: ROLE, account: '111122223333', region: 'ap-northeast-1' };

  test('the model id names the profile that routed a call to another region', async () => {
    const error = serviceError('AccessDeniedException', 'User: arn:aws:sts::111122223333:assumed-role/BedrockHubRole/orders-fn is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:ap-northeast-3::foundation-model/anthropic.claude-sonnet-4-6 because no identity-based policy allows the bedrock:InvokeModel action', 403);
    const handler = explainErrorsMiddleware(ctx)((async () => {
      throw error;
    }) as never, { clientName: 'BedrockRuntimeClient', commandName: 'ConverseCommand' });
    const explained = await (handler({ input: { modelId: 'jp.anthropic.claude-sonnet-4-6', messages: [] } }) as Promise<unknown>).catch((e: unknown) => e);
    expect(explained).toMatchObject({ layer: 'hub-permission' });
    expect((explained as BedrockHubError).message).toMatch(/called ap-northeast-1, but the inference profile jp\.anthropic\.claude-sonnet-4-6 routed the call to ap-northeast-3/);
  });

  test('callDetailsOf reads the model and the guardrail, and notes a model call that carries none', () => {
    expect(callDetailsOf('Converse', { modelId: 'm' })).toEqual({ operation: 'Converse', modelId: 'm', guardrailIdentifier: null });
    expect(callDetailsOf('Converse', { modelId: 'm', guardrailConfig: { guardrailIdentifier: 'g1', guardrailVersion: '1' } }))
      .toEqual({ operation: 'Converse', modelId: 'm', guardrailIdentifier: 'g1', guardrailVersion: '1' });
    expect(callDetailsOf('InvokeAgent', { agentId: 'A' })).toEqual({ operation: 'InvokeAgent' });
  });
});
