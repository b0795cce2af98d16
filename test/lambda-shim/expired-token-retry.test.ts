import { BedrockClient, GetFoundationModelCommand } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { LOCAL_CREDENTIALS, LoopbackAws, ManualClock, hubEnv } from './loopback-aws';
import { BedrockHubError } from '../../lambda-shim/errors';
import { expiredTokenRetryMiddleware, signingAccessKeyId, signingKeyRecorderMiddleware } from '../../lambda-shim/expired-token-retry';
import { resetBedrockHubSessions } from '../../lambda-shim/process-caches';
import { getBedrockHubSession } from '../../lambda-shim/session';

const converse = () => new ConverseCommand({ modelId: 'anthropic.claude-3-haiku', messages: [{ role: 'user', content: [{ text: 'hi' }] }] });

let server: LoopbackAws;
let clock: ManualClock;
let runtime: BedrockRuntimeClient;

beforeEach(async () => {
  clock = new ManualClock();
  server = await LoopbackAws.start({ clock: clock.read });
  const hub = getBedrockHubSession({ env: hubEnv(server), clock: clock.read, masterCredentials: LOCAL_CREDENTIALS });
  runtime = hub.client(BedrockRuntimeClient, { endpoint: server.endpoint });
});

afterEach(async () => {
  runtime.destroy();
  resetBedrockHubSessions();
  await server.stop();
});

test('ExpiredTokenException: the credentials are refreshed and the call is retried once, re-signed', async () => {
  // GIVEN Bedrock says the first hub credentials have expired (say, sessions were revoked)
  await runtime.send(converse());
  server.expiredKeys.add(server.issued[0].accessKeyId);

  // WHEN
  const output = await runtime.send(converse());

  // THEN
  expect(output.output?.message?.content?.[0].text).toBe(`hello from ${server.issued[1].accessKeyId}`);
  expect(server.count('AssumeRole')).toBe(2);
  expect(server.only('Converse').map((r) => r.accessKeyId)).toEqual([
    server.issued[0].accessKeyId, server.issued[0].accessKeyId, server.issued[1].accessKeyId,
  ]);
  expect(server.only('Converse')[2].securityToken).toBe(server.issued[1].sessionToken);
});

test('only once: still expired after the retry is a BedrockHubError, with the service error as cause', async () => {
  server.expireAllIssued = true;

  const error = await runtime.send(converse()).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(BedrockHubError);
  // (explained by nothing else on the way out: the explaining middleware passes a BedrockHubError through)
  expect(error).toMatchObject({ layer: 'expired-token', cause: { name: 'ExpiredTokenException' }, $metadata: { httpStatusCode: 403 }, $fault: 'client' });
  expect(server.count('Converse')).toBe(2);
  expect(server.count('AssumeRole')).toBe(2);
});

test('concurrent calls that all hit the same expired credentials cause one refresh', async () => {
  await runtime.send(converse());
  server.expiredKeys.add(server.issued[0].accessKeyId);

  await Promise.all(Array.from({ length: 20 }, () => runtime.send(converse())));

  expect(server.count('AssumeRole')).toBe(2);
  expect(server.only('Converse').filter((r) => r.accessKeyId === server.issued[1].accessKeyId)).toHaveLength(20);
});

test('with cacheMiddleware: true, which shares one handler context between the calls of a command, still one refresh', async () => {
  // GIVEN a client that resolves its middleware once per command class, and expired credentials
  const hub = getBedrockHubSession({ env: hubEnv(server), clock: clock.read, masterCredentials: LOCAL_CREDENTIALS });
  const cached = hub.client(BedrockRuntimeClient, { endpoint: server.endpoint, cacheMiddleware: true });
  await cached.send(converse());
  server.expiredKeys.add(server.issued[0].accessKeyId);

  // WHEN
  await Promise.all(Array.from({ length: 20 }, () => cached.send(converse())));
  cached.destroy();

  // THEN each retry forgets the credentials its own attempt was signed with, not another call's fresh ones
  expect(server.count('AssumeRole')).toBe(2);
  expect(server.only('Converse').filter((r) => r.accessKeyId === server.issued[1].accessKeyId)).toHaveLength(20);
});

test('HTTP/1.1 clients (the Bedrock control plane) get the same retry', async () => {
  const hub = getBedrockHubSession({ env: hubEnv(server), clock: clock.read, masterCredentials: LOCAL_CREDENTIALS });
  const control = hub.client(BedrockClient, { endpoint: server.endpoint });
  await control.send(new GetFoundationModelCommand({ modelIdentifier: 'm' }));
  server.expiredKeys.add(server.issued[0].accessKeyId);

  await control.send(new GetFoundationModelCommand({ modelIdentifier: 'm' }));
  control.destroy();

  expect(server.only('GetFoundationModel').map((r) => r.accessKeyId)).toEqual([
    server.issued[0].accessKeyId, server.issued[0].accessKeyId, server.issued[1].accessKeyId,
  ]);
});

test('the retry runs before the SDK resolves the identity (serialize step) and signs (finalizeRequest step)', async () => {
  // GIVEN probes that look at the SDK's per-call auth state at the end of the initialize step and in the build step
  const seen: Record<string, boolean> = {};
  const probe = (where: string) => (next: (args: unknown) => Promise<unknown>, context: Record<string, any>) => async (args: unknown) => {
    seen[where] = context.__smithy_context?.selectedHttpAuthScheme?.identity !== undefined;
    return next(args);
  };
  runtime.middlewareStack.add(probe('initialize') as never, { step: 'initialize', priority: 'low' });
  runtime.middlewareStack.add(probe('build') as never, { step: 'build' });

  // WHEN
  await runtime.send(converse());

  // THEN the retry (initialize step, high priority) runs while no identity is chosen yet, inside
  // the explaining middleware (which must only see what the retry lets through) and the request checks
  expect(runtime.middlewareStack.identify()).toEqual(expect.arrayContaining([
    'bedrockHubSigningKeyRecorderMiddleware - deserialize',
  ]));
  expect(runtime.middlewareStack.identify().slice(0, 3)).toEqual([
    'bedrockHubExplainErrorsMiddleware - initialize',
    'bedrockHubRequestCheckMiddleware - initialize',
    'bedrockHubExpiredTokenRetryMiddleware - initialize',
  ]);
  expect(seen).toEqual({ initialize: false, build: true });
});

describe('expiredTokenRetryMiddleware', () => {
  const expired = () => Object.assign(new Error('expired'), { name: 'ExpiredTokenException' });

  test('an input with a stream cannot be replayed: the credentials are invalidated, the error is passed on', async () => {
    const invalidated: (string | undefined)[] = [];
    const next = jest.fn(async () => {
      throw expired();
    });
    const signed = signingKeyRecorderMiddleware()(next as never, {});
    const sentAsAsia1 = (args: object) => signed({ ...args, request: { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=ASIA1/20300101/us-east-1/bedrock/aws4_request' } } } as never);
    const handler = expiredTokenRetryMiddleware({ invalidate: (key) => invalidated.push(key) })(sentAsAsia1 as never, {});

    const input = { body: (async function* body() { yield new Uint8Array(1); })() };
    await expect(handler({ input })).rejects.toThrow('expired');

    expect(next).toHaveBeenCalledTimes(1);
    expect(invalidated).toEqual(['ASIA1']);
  });

  test('other errors are neither retried nor wrapped', async () => {
    const error = Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    const next = jest.fn(async () => {
      throw error;
    });
    const handler = expiredTokenRetryMiddleware({ invalidate: () => undefined })(next as never, {});

    await expect(handler({ input: {} })).rejects.toBe(error);
    expect(next).toHaveBeenCalledTimes(1);
  });
});

test.each([
  [{ authorization: 'AWS4-HMAC-SHA256 Credential=ASIAHUB1/20300101/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=x' }, 'ASIAHUB1'],
  [{ Authorization: 'AWS4-HMAC-SHA256 Credential=AKIA2/20300101/us-east-1/sts/aws4_request' }, 'AKIA2'],
  [{ authorization: 'Bearer abc' }, undefined],
  [{}, undefined],
])('signingAccessKeyId(%p) is %p', (headers, key) => {
  expect(signingAccessKeyId(headers)).toBe(key);
});
