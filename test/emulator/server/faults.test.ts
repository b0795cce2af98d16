import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsEmulator, IssuedCredentials } from '../../../emulator';
import { FaultInjector, FaultRule } from '../../../emulator/server/faults';
import { clientConfig, errorOf, EXTERNAL_ID, HUB_ROLE_ARN, REGION, startHubAndWorkload, stopChecked } from '../fixtures';

let emulator: AwsEmulator;
let lambda: IssuedCredentials;
let hub: IssuedCredentials;

beforeEach(async () => {
  ({ emulator } = await startHubAndWorkload());
  lambda = await emulator.lambdaCredentials('Handler');
  hub = emulator.roleSessionCredentials(HUB_ROLE_ARN, 'fn');
});

afterEach(() => stopChecked(emulator));

const assume = (): AssumeRoleCommand => new AssumeRoleCommand({ RoleArn: HUB_ROLE_ARN, RoleSessionName: 'fn', ExternalId: EXTERNAL_ID });
const converse = (): ConverseCommand => new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: [{ text: 'hi' }] }] });

describe('service errors', () => {
  const sts = (): Promise<unknown> => new STSClient(clientConfig(emulator, lambda)).send(assume());
  const bedrock = (): Promise<unknown> => new BedrockRuntimeClient(clientConfig(emulator, hub)).send(converse());

  test.each<[string, FaultRule, () => Promise<unknown>, string, number]>([
    ['STS throttling', { service: 'sts', operation: 'AssumeRole', kind: 'throttle', times: 1 }, sts, 'Throttling', 400],
    ['Bedrock throttling', { service: 'bedrock-runtime', kind: 'throttle', times: 1 }, bedrock, 'ThrottlingException', 429],
    ['an STS internal failure', { service: 'sts', kind: 'server-error', times: 1 }, sts, 'InternalFailure', 500],
    ['Bedrock unavailable', { service: 'bedrock-runtime', kind: 'server-error', status: 503, times: 1 }, bedrock, 'ServiceUnavailableException', 503],
    ['a scripted STS error', { service: 'sts', operation: 'AssumeRole', kind: 'error', code: 'RegionDisabledException', message: 'STS is not activated in this region for account:111111111111.', status: 403, times: 1 },
      sts, 'RegionDisabledException', 403],
    ['a scripted Bedrock error', { service: 'bedrock-runtime', kind: 'error', code: 'ExpiredTokenException', message: 'The security token included in the request is expired', status: 403, times: 1 },
      bedrock, 'ExpiredTokenException', 403],
  ])('%s comes in the service\'s shape, once', async (_, rule, call, code, status) => {
    // GIVEN
    emulator.faults.inject(rule);

    // WHEN
    const error = await errorOf(call());

    // THEN
    expect(error).toMatchObject({ name: code, $metadata: { httpStatusCode: status } });
    expect(emulator.faults.active).toHaveLength(0);
    await expect(call()).resolves.toBeDefined();
  });

  test('the SDK\'s standard retry rides out one throttle', async () => {
    emulator.faults.inject({ service: 'bedrock-runtime', operation: 'Converse', kind: 'throttle', times: 1 });
    const output = await new BedrockRuntimeClient({ ...emulator.clientConfig(hub), maxAttempts: 3 }).send(converse());
    expect(output.$metadata.attempts).toBe(2);
    expect(emulator.cloudTrail.find({ eventName: 'Converse' }).map((e) => e.errorCode ?? 'ok')).toEqual(['ThrottlingException', 'ok']);
  });

  test('a rule with a region matches only requests signed for that region', async () => {
    emulator.faults.inject({ service: 'sts', region: 'us-east-1', kind: 'server-error', status: 503 });
    await expect(new STSClient(clientConfig(emulator, lambda, 'us-east-1')).send(assume())).rejects.toMatchObject({ $metadata: { httpStatusCode: 503 } });
    await expect(new STSClient(clientConfig(emulator, lambda, 'us-west-2')).send(assume())).resolves.toBeDefined();
  });

  test('rules match service and operation, count hits and can be removed', async () => {
    const fault = emulator.faults.inject({ service: 'sts', operation: 'GetCallerIdentity', kind: 'throttle' });
    const client = new STSClient(clientConfig(emulator, lambda));
    await expect(client.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'Throttling' });
    await expect(client.send(assume())).resolves.toBeDefined();
    expect(fault.hits).toBe(1);
    fault.remove();
    await expect(client.send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();
  });
});

describe('altered STS answers', () => {
  const sts = (): STSClient => new STSClient(clientConfig(emulator, lambda));

  test('a scripted error keeps its code and message; the signature was still checked first', async () => {
    // GIVEN
    emulator.faults.inject({ service: 'sts', operation: 'AssumeRole', kind: 'error', code: 'AccessDenied', message: 'User: x is not authorized', status: 403 });

    // WHEN
    const error = await errorOf(sts().send(assume()));
    const forged = await errorOf(new STSClient(clientConfig(emulator, { ...lambda, secretAccessKey: 'wrong' })).send(assume()));

    // THEN
    expect(error).toMatchObject({ name: 'AccessDenied', message: 'User: x is not authorized', $metadata: { httpStatusCode: 403 } });
    expect(forged).toMatchObject({ name: 'SignatureDoesNotMatch' });
  });

  test('AssumedRoleUser in another account, and credentials that expire in 60 s', async () => {
    // GIVEN
    emulator.faults.inject({ service: 'sts', operation: 'AssumeRole', kind: 'assumed-role-account', accountId: '999999999999', times: 1 });
    emulator.faults.inject({ service: 'sts', operation: 'AssumeRole', kind: 'credential-lifetime', seconds: 60, times: 1 });

    // WHEN
    const moved = await sts().send(assume());
    const short = await sts().send(assume());

    // THEN the first names another account, but its credentials are the hub role's
    expect(moved.AssumedRoleUser?.Arn).toBe('arn:aws:sts::999999999999:assumed-role/BedrockHubRole/fn');
    const identity = await new STSClient(clientConfig(emulator, {
      accessKeyId: moved.Credentials!.AccessKeyId!,
      secretAccessKey: moved.Credentials!.SecretAccessKey!,
      sessionToken: moved.Credentials!.SessionToken!,
    })).send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe(`${HUB_ROLE_ARN.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/fn`);
    // and the second expires in 60 s by the emulator's clock
    expect(short.Credentials!.Expiration!.getTime() - Math.floor(emulator.clock.now() / 1000) * 1000).toBe(60_000);
  });
});

describe('network faults', () => {
  test('latency delays the answer', async () => {
    emulator.faults.inject({ service: 'sts', kind: 'latency', ms: 300, times: 1 });
    const started = Date.now();
    await new STSClient(clientConfig(emulator, lambda)).send(assume());
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  test('a hanging service makes the client\'s own timeout fire', async () => {
    emulator.faults.inject({ service: 'sts', kind: 'hang' });
    const sts = new STSClient({ ...clientConfig(emulator, lambda), requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true } });
    const started = Date.now();
    const error = await errorOf(sts.send(assume()));
    expect(error.name).toMatch(/TimeoutError/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test.each<[string, () => Promise<unknown>]>([
    ['HTTP/1.1 (STS)', () => new STSClient(clientConfig(emulator, lambda)).send(assume())],
    ['HTTP/2 (Bedrock runtime)', () => new BedrockRuntimeClient(clientConfig(emulator, hub)).send(converse())],
  ])('a reset connection fails the request over %s', async (_, call) => {
    emulator.faults.inject({ kind: 'reset', times: 1 });
    const error = await errorOf(call());
    expect(`${error.name} ${error.message} ${(error as { code?: string }).code ?? ''}`).toMatch(/ECONNRESET|socket hang up|NGHTTP2|stream|closed/i);
  });

  test('refused connections, then accepted again on the same port', async () => {
    const sts = new STSClient(clientConfig(emulator, lambda));
    const port = emulator.port;
    await emulator.refuseConnections();
    const error = await errorOf(new STSClient(clientConfig(emulator, lambda)).send(assume()));
    expect((error as { code?: string }).code ?? error.message).toMatch(/ECONNREFUSED/);

    await emulator.acceptConnections();
    expect(emulator.port).toBe(port);
    await expect(sts.send(assume())).resolves.toBeDefined();
  });

  test('dropped keep-alive connections are reopened by the client (retrying, as on any dropped connection)', async () => {
    const sts = new STSClient({ ...emulator.clientConfig(lambda), maxAttempts: 3 });
    const bedrock = new BedrockRuntimeClient(clientConfig(emulator, hub));
    await sts.send(new GetCallerIdentityCommand({}));
    await bedrock.send(converse());
    emulator.dropConnections();
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();
  });
});

test('"expire this key now" turns the next request into ExpiredToken', async () => {
  const sts = new STSClient(clientConfig(emulator, lambda));
  await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();
  emulator.expireCredentials(lambda.accessKeyId);
  await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'ExpiredToken' });
  await expect(new BedrockRuntimeClient(clientConfig(emulator, hub, REGION)).send(converse())).resolves.toBeDefined();
});

test('a FaultInjector takes the first live rule in order', () => {
  const faults = new FaultInjector();
  faults.inject({ service: 's3', kind: 'throttle' });
  faults.inject({ kind: 'server-error', times: 2 });
  expect(faults.take('sts', 'AssumeRole')).toMatchObject({ kind: 'server-error' });
  expect(faults.take('s3', 'GetObject')).toMatchObject({ kind: 'throttle' });
  expect(faults.take('sts', 'AssumeRole')).toMatchObject({ kind: 'server-error' });
  expect(faults.take('sts', 'AssumeRole')).toBeUndefined();
  faults.clear();
  expect(faults.take('s3', 'GetObject')).toBeUndefined();
});
