import * as util from 'node:util';
import { BedrockClient, GetFoundationModelCommand } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  EXTERNAL_ID,
  HUB_ROLE_ARN,
  LOCAL_CREDENTIALS,
  LoopbackAws,
  ManualClock,
  hubEnv,
  refusedEndpoint,
} from './loopback-aws';
import { BedrockHubError } from '../../lambda-shim/errors';
import { BedrockHubSession, getBedrockHubSession, resetBedrockHubSessions } from '../../lambda-shim/session';

const MIN = 60_000;
const converse = () => new ConverseCommand({ modelId: 'anthropic.claude-3-haiku', messages: [{ role: 'user', content: [{ text: 'hi' }] }] });
const getModel = () => new GetFoundationModelCommand({ modelIdentifier: 'anthropic.claude-3-haiku' });

let server: LoopbackAws;
let clock: ManualClock;
const clients: { destroy(): void }[] = [];
const savedEnv = { ...process.env };

beforeEach(async () => {
  clock = new ManualClock();
  server = await LoopbackAws.start({ clock: clock.read });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  resetBedrockHubSessions();
  await server.stop();
  process.env = { ...savedEnv };
});

/** The hub session of a function whose STS and Bedrock are the loopback server. */
function hubSession(extra: Record<string, string | undefined> = {}): BedrockHubSession {
  return getBedrockHubSession({ env: hubEnv(server, extra), clock: clock.read, masterCredentials: LOCAL_CREDENTIALS });
}

/** Keeps `client` for destruction after the test. */
function track<C extends { destroy(): void }>(client: C): C {
  clients.push(client);
  return client;
}

function runtimeClient(hub: BedrockHubSession, config: Record<string, unknown> = {}): BedrockRuntimeClient {
  return track(hub.client(BedrockRuntimeClient, { endpoint: server.endpoint, ...config }));
}

/** Rejects with what `promise` rejects with, or fails the test. */
async function rejection(promise: Promise<unknown>): Promise<BedrockHubError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(BedrockHubError);
  return error as BedrockHubError;
}

/** Requests to Bedrock (not STS). */
function bedrockRequests() {
  return server.requests.filter((r) => r.service !== 'sts');
}

/** Clears process.env of AWS settings a developer machine may have, so a test sets exactly what it needs. */
function cleanProcessEnv(vars: Record<string, string>): void {
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('AWS_') || name.startsWith('BEDROCK_')) delete process.env[name];
  }
  Object.assign(process.env, {
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...vars,
  });
}

describe('hub mode off: exactly new Client(config)', () => {
  test('the constructor gets the very arguments, nothing added', () => {
    // GIVEN
    const hub = getBedrockHubSession({ env: { AWS_REGION: 'us-east-1' } });
    const seen: unknown[][] = [];
    class Recorder {
      public readonly middlewareStack = {} as never;
      constructor(...args: unknown[]) {
        seen.push(args);
      }
    }
    const config = { region: 'eu-west-1', maxAttempts: 7 };

    // WHEN
    hub.client(Recorder as never, config);
    hub.client(Recorder as never);

    // THEN
    expect(seen[0]).toHaveLength(1);
    expect(seen[0][0]).toBe(config);
    expect(config).toEqual({ region: 'eu-west-1', maxAttempts: 7 });
    expect(seen[1]).toEqual([]);
  });

  test('a real client is built like a plain one, and the session adds nothing', async () => {
    const hub = getBedrockHubSession({ env: { BEDROCK_ASSUME_ROLE_ARN: '', AWS_REGION: 'us-east-1' } });
    const config = { region: 'us-east-1', credentials: LOCAL_CREDENTIALS, endpoint: server.endpoint };

    const viaHub = track(hub.client(BedrockRuntimeClient, config));
    const plain = track(new BedrockRuntimeClient(config));

    expect(hub.enabled).toBe(false);
    expect(hub.credentials).toBeUndefined();
    expect(hub.roleArn).toBeUndefined();
    expect(await hub.identity()).toBeUndefined();
    expect(viaHub.middlewareStack.identify()).toEqual(plain.middlewareStack.identify());
    expect(Object.keys(viaHub.config).sort()).toEqual(Object.keys(plain.config).sort());
    expect(await viaHub.config.credentials()).toEqual(await plain.config.credentials());
    expect(await viaHub.config.authSchemePreference()).toEqual(await plain.config.authSchemePreference());

    await viaHub.send(converse());
    expect(server.requests).toEqual([expect.objectContaining({ operation: 'Converse', accessKeyId: LOCAL_CREDENTIALS.accessKeyId })]);
    const error = new Error('x');
    expect(hub.explainError(error)).toBe(error);
  });
});

describe('one credential cache, one AssumeRole', () => {
  test('3 clients × 50 concurrent calls: exactly one AssumeRole, every call signed with its credentials', async () => {
    // GIVEN three different clients (HTTP/2 runtime, HTTP/1.1 control plane, STS) from the same session
    const hub = hubSession();
    const runtime = runtimeClient(hub);
    const control = track(hub.client(BedrockClient, { endpoint: server.endpoint }));
    const sts = track(hub.client(STSClient, { endpoint: server.endpoint }));
    server.assumeRoleDelayMs = 50;

    // WHEN each makes 50 calls at once
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 50; i++) {
      calls.push(runtime.send(converse()), control.send(getModel()), sts.send(new GetCallerIdentityCommand({})));
    }
    await Promise.all(calls);

    // THEN
    const assumeRoles = server.count('AssumeRole');
    // eslint-disable-next-line no-console
    console.log(`3 clients × 50 concurrent calls → ${assumeRoles} AssumeRole call(s)`);
    expect(assumeRoles).toBe(1);
    const hubKey = server.issued[0];
    const others = server.requests.filter((r) => r.operation !== 'AssumeRole');
    expect(others).toHaveLength(150);
    expect(new Set(others.map((r) => `${r.auth} ${r.accessKeyId} ${r.securityToken}`))).toEqual(new Set([`sigv4 ${hubKey.accessKeyId} ${hubKey.sessionToken}`]));
    expect(new Set(others.map((r) => r.operation))).toEqual(new Set(['Converse', 'GetFoundationModel', 'GetCallerIdentity']));
  });

  test('sessions are cached per configuration and region, and share the role\'s credential cache', async () => {
    const first = hubSession();
    expect(hubSession()).toBe(first);
    expect(getBedrockHubSession({ env: hubEnv(server) })).toBe(first);
    expect(hubSession({ AWS_REGION: 'eu-west-1' })).not.toBe(first);
    expect(hubSession({ BEDROCK_ASSUME_ROLE_SESSION_NAME: 'other' }).credentials).not.toBe(first.credentials);

    // A session in another region built with the same role session still makes one AssumeRole per (role, …, STS region)
    await runtimeClient(first).send(converse());
    await runtimeClient(hubSession()).send(converse());
    expect(server.count('AssumeRole')).toBe(1);
  });

  test('hub.credentials serves other SDK clients from the same cache, windows included', async () => {
    // GIVEN a client the shim did not build
    const hub = hubSession();
    const foreign = track(new BedrockRuntimeClient({ region: 'us-east-1', endpoint: server.endpoint, credentials: hub.credentials }));
    await foreign.send(converse());
    await runtimeClient(hub).send(converse());

    // WHEN the credentials enter the refresh window
    clock.setLeft(server.issued[0].expiration, 12 * MIN);
    await foreign.send(converse());

    // THEN the foreign client did not keep its own copy: it follows the shim's refresh
    expect(server.count('AssumeRole')).toBe(2);
    expect(server.only('Converse').map((r) => r.accessKeyId)).toEqual([
      server.issued[0].accessKeyId, server.issued[0].accessKeyId, server.issued[1].accessKeyId,
    ]);
    const identity = await hub.credentials!();
    expect(identity.expiration).toEqual(new Date(server.issued[1].expiration.getTime() - 10 * MIN));
    expect(identity.accountId).toBe('111122223333');
  });
});

describe('refresh windows, end to end (the clock moves, nothing sleeps)', () => {
  test('cached above 15 min, refreshed at 12, kept on failure with STS retried every 30 s, never used in the last 10', async () => {
    const hub = hubSession();
    const runtime = runtimeClient(hub);
    const lastKey = () => server.only('Converse').at(-1)?.accessKeyId;

    // Fresh: one AssumeRole
    await runtime.send(converse());
    const first = server.issued[0];

    // More than 15 minutes left: cached
    clock.setLeft(first.expiration, 20 * MIN);
    await runtime.send(converse());
    clock.setLeft(first.expiration, 15 * MIN + 1_000);
    await runtime.send(converse());
    expect(server.count('AssumeRole')).toBe(1);
    expect(lastKey()).toBe(first.accessKeyId);

    // 12 minutes left: refreshed before signing
    clock.setLeft(first.expiration, 12 * MIN);
    await runtime.send(converse());
    expect(server.count('AssumeRole')).toBe(2);
    const second = server.issued[1];
    expect(lastKey()).toBe(second.accessKeyId);

    // Advisory window with STS failing: the current credentials carry on
    server.assumeRoleFailure = { kind: 'access-denied', variant: 'trust-policy' };
    clock.setLeft(second.expiration, 12 * MIN);
    await runtime.send(converse());
    expect(server.count('AssumeRole')).toBe(3);
    expect(lastKey()).toBe(second.accessKeyId);

    // … and STS is not asked again for 30 s
    clock.advance(29_000);
    await runtime.send(converse());
    expect(server.count('AssumeRole')).toBe(3);
    clock.advance(1_000);
    await runtime.send(converse());
    expect(server.count('AssumeRole')).toBe(4);
    expect(lastKey()).toBe(second.accessKeyId);

    // 10 minutes left and STS still failing: the call fails and is never sent
    const sent = server.only('Converse').length;
    for (const left of [10 * MIN, 9 * MIN, 30_000]) {
      clock.setLeft(second.expiration, left);
      const error = await rejection(runtime.send(converse()));
      expect(error.layer).toBe('trust-policy');
    }
    expect(server.only('Converse')).toHaveLength(sent);

    // STS back: refreshed, and signed with the new credentials
    server.assumeRoleFailure = undefined;
    await runtime.send(converse());
    expect(lastKey()).toBe(server.issued[2].accessKeyId);
  });

  test('a frozen function thawed after its credentials expired refreshes before its first call', async () => {
    const runtime = runtimeClient(hubSession());
    await runtime.send(converse());

    clock.advance(3 * 60 * MIN);
    await runtime.send(converse());

    expect(server.only('Converse').map((r) => r.accessKeyId)).toEqual([server.issued[0].accessKeyId, server.issued[1].accessKeyId]);
  });
});

describe('never the local credentials', () => {
  test('AssumeRole fails: the Bedrock call fails and is never sent, least of all with the local key', async () => {
    server.assumeRoleFailure = { kind: 'access-denied', variant: 'unspecified' };
    const hub = hubSession();

    const runtimeError = await rejection(runtimeClient(hub).send(converse()));
    const controlError = await rejection(track(hub.client(BedrockClient, { endpoint: server.endpoint })).send(getModel()));

    expect(runtimeError.layer).toBe('assume-role-denied');
    expect(controlError.layer).toBe('assume-role-denied');
    expect(bedrockRequests()).toEqual([]);
    expect(server.requests.filter((r) => r.accessKeyId === LOCAL_CREDENTIALS.accessKeyId).map((r) => r.operation)).toEqual(['AssumeRole', 'AssumeRole']);
  });

  test('with the default chain finding local credentials in the environment, too', async () => {
    // GIVEN a function whose own credentials are in process.env, as in Lambda
    cleanProcessEnv({ AWS_ACCESS_KEY_ID: 'AKIALOCALFROMENV0001', AWS_SECRET_ACCESS_KEY: 'local-env-secret' });
    server.assumeRoleFailure = { kind: 'access-denied', variant: 'trust-policy' };
    const hub = getBedrockHubSession({ env: hubEnv(server), clock: clock.read });

    // WHEN
    const error = await rejection(runtimeClient(hub).send(converse()));

    // THEN
    expect(error.layer).toBe('trust-policy');
    expect(server.requests.map((r) => `${r.operation} ${r.accessKeyId}`)).toEqual(['AssumeRole AKIALOCALFROMENV0001']);
  });

  test('hub clients refuse credentials or a token in their config', () => {
    const hub = hubSession();
    expect(() => hub.client(BedrockRuntimeClient, { credentials: LOCAL_CREDENTIALS })).toThrow(
      /\(configuration\): hub\.client\(\) was given `credentials`.*build the client with `new BedrockRuntimeClient\(…\)`/);
    expect(() => hub.client(BedrockRuntimeClient, { token: { token: 'x' } })).toThrow(/was given `token`/);
  });
});

describe('AWS_BEARER_TOKEN_BEDROCK cannot bypass SigV4', () => {
  const BEARER = 'bedrock-api-key-SHOULD-NOT-BE-USED';

  beforeEach(() => {
    cleanProcessEnv({ AWS_BEARER_TOKEN_BEDROCK: BEARER });
  });

  test('control: with the variable set, plain SDK clients switch to bearer auth', async () => {
    const plainRuntime = track(new BedrockRuntimeClient({ region: 'us-east-1', endpoint: server.endpoint, credentials: LOCAL_CREDENTIALS }));
    const plainControl = track(new BedrockClient({ region: 'us-east-1', endpoint: server.endpoint, credentials: LOCAL_CREDENTIALS }));

    await plainRuntime.send(converse());
    await plainControl.send(getModel());

    expect(server.requests.map((r) => r.auth)).toEqual(['bearer', 'bearer']);
  });

  test('hub clients sign SigV4 with the hub credentials, whatever the config prefers', async () => {
    const hub = hubSession();
    const runtime = runtimeClient(hub, { authSchemePreference: ['httpBearerAuth'] });
    const control = track(hub.client(BedrockClient, { endpoint: server.endpoint }));

    await runtime.send(converse());
    await control.send(getModel());

    expect(bedrockRequests().map((r) => `${r.auth} ${r.accessKeyId}`)).toEqual([
      `sigv4 ${server.issued[0].accessKeyId}`, `sigv4 ${server.issued[0].accessKeyId}`,
    ]);
  });

  test('and when AssumeRole fails, nothing is sent with the bearer token instead', async () => {
    server.assumeRoleFailure = { kind: 'throttling' };
    const error = await rejection(runtimeClient(hubSession()).send(converse()));

    expect(error.layer).toBe('sts-throttled');
    expect(bedrockRequests()).toEqual([]);
  });

  test('the token provider of a hub client refuses rather than reads the variable', async () => {
    const runtime = runtimeClient(hubSession());
    await expect(runtime.config.token!({})).rejects.toThrow(/hub clients only sign with SigV4/);
  });
});

describe('identity', () => {
  test('from AssumeRole\'s answer, with no extra call', async () => {
    const hub = hubSession();
    expect(hub).toMatchObject({ enabled: true, region: 'us-east-1', roleArn: HUB_ROLE_ARN, sessionName: 'workload-function' });

    const identity = await hub.identity();

    expect(identity).toEqual({
      account: '111122223333',
      arn: 'arn:aws:sts::111122223333:assumed-role/BedrockHubRole/workload-function',
      sessionName: 'workload-function',
      expiration: server.issued[0].expiration,
    });
    expect(server.requests.map((r) => r.operation)).toEqual(['AssumeRole']);
  });

  test('a session in another account than the role\'s: refused, Bedrock never called', async () => {
    server.assumedAccount = '999988887777';
    const error = await rejection(runtimeClient(hubSession()).send(converse()));

    expect(error.layer).toBe('identity-mismatch');
    expect(bedrockRequests()).toEqual([]);
  });
});

describe('regions and endpoints', () => {
  test('STS in the session\'s region; a client may call Bedrock in another', async () => {
    const hub = hubSession();
    await runtimeClient(hub).send(converse());
    await runtimeClient(hub, { region: 'us-west-2' }).send(converse());

    expect(server.requests.map((r) => `${r.operation} ${r.signingRegion}`)).toEqual(['AssumeRole us-east-1', 'Converse us-east-1', 'Converse us-west-2']);
  });

  test('AWS_ENDPOINT_URL_STS in process.env is honoured (resolved by the SDK itself)', async () => {
    const elsewhere = await refusedEndpoint();
    cleanProcessEnv({
      BEDROCK_ASSUME_ROLE_ARN: HUB_ROLE_ARN,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: elsewhere,
      AWS_ENDPOINT_URL_STS: server.endpoint,
    });
    const hub = getBedrockHubSession({ clock: clock.read, masterCredentials: LOCAL_CREDENTIALS });

    await runtimeClient(hub).send(converse());

    expect(server.requests.map((r) => r.operation)).toEqual(['AssumeRole', 'Converse']);
  });

  test('AWS_ENDPOINT_URL in process.env serves STS and the hub clients alike', async () => {
    cleanProcessEnv({ BEDROCK_ASSUME_ROLE_ARN: HUB_ROLE_ARN, AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: server.endpoint });
    const hub = getBedrockHubSession({ clock: clock.read, masterCredentials: LOCAL_CREDENTIALS });

    await track(hub.client(BedrockRuntimeClient)).send(converse());

    expect(server.requests.map((r) => r.operation)).toEqual(['AssumeRole', 'Converse']);
  });

  test('STS unreachable: the call fails fast with layer sts-unreachable, and Bedrock is never called', async () => {
    const hub = hubSession({ AWS_ENDPOINT_URL_STS: await refusedEndpoint() });
    const started = Date.now();

    const error = await rejection(runtimeClient(hub).send(converse()));

    expect(error.layer).toBe('sts-unreachable');
    expect(bedrockRequests()).toEqual([]);
    // eslint-disable-next-line no-console
    console.log(`Bedrock call with STS refusing connections failed after ${Date.now() - started} ms`);
  });
});

describe('explainError', () => {
  test('AccessDenied from Bedrock after AssumeRole worked: the hub role\'s permissions or model access', async () => {
    const hub = hubSession();
    server.bedrockAccessDenied = 'User: arn:aws:sts::111122223333:assumed-role/BedrockHubRole/workload-function is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku';

    const error = await runtimeClient(hub).send(converse()).catch((e: unknown) => e);
    const explained = hub.explainError(error) as BedrockHubError;

    // The SDK's own error reaches the handler unchanged; the explanation is on request.
    expect(error).toMatchObject({ name: 'AccessDeniedException' });
    expect(explained.layer).toBe('hub-permission');
    expect(explained.message).toMatch(/hub role .*BedrockHubRole in us-east-1.*allow bedrock:InvokeModel.*model access is per account and per region/);
    expect(explained.cause).toBe(error);
  });
});

describe('secrets never reach a message, a log or JSON', () => {
  test('across success and every failure, nothing prints the ExternalId, a secret key or a session token', async () => {
    // GIVEN everything a handler might print
    const printed: string[] = [];
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
      jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        printed.push(util.format(...args));
      }));
    const show = (value: unknown) => {
      /* eslint-disable no-console */
      console.log(value);
      console.error(util.inspect(value, { depth: Infinity, showHidden: true }));
      console.info(JSON.stringify(value));
      if (value instanceof Error) console.warn(value.stack, String(value));
      /* eslint-enable no-console */
    };
    const failureOf = async (run: () => Promise<unknown>) => show(await run().then(() => new Error('no failure'), (e: unknown) => e));

    try {
      // WHEN it works
      const hub = hubSession();
      const runtime = runtimeClient(hub);
      show(await runtime.send(converse()));
      show(hub);
      show(await hub.identity());

      // AND every way it can fail
      for (const failure of [
        { kind: 'access-denied', variant: 'identity-policy' },
        { kind: 'access-denied', variant: 'trust-policy' },
        { kind: 'access-denied', variant: 'unspecified' },
        { kind: 'duration-role-chaining' },
        { kind: 'throttling' },
        { kind: 'reset' },
      ] as const) {
        resetBedrockHubSessions();
        server.assumeRoleFailure = failure;
        await failureOf(() => runtimeClient(hubSession()).send(converse()));
      }
      server.assumeRoleFailure = undefined;
      resetBedrockHubSessions();
      server.assumedAccount = '999988887777';
      await failureOf(() => runtimeClient(hubSession()).send(converse()));
      server.assumedAccount = undefined;
      resetBedrockHubSessions();
      server.expireAllIssued = true;
      await failureOf(() => runtimeClient(hubSession()).send(converse()));
      server.expireAllIssued = false;
      server.bedrockAccessDenied = 'denied';
      const explainedHub = hubSession();
      await failureOf(async () => {
        throw explainedHub.explainError(await runtimeClient(explainedHub).send(converse()).catch((e: unknown) => e));
      });
      await failureOf(async () => hubSession({ BEDROCK_ASSUME_ROLE_EXTERNAL_ID: `${EXTERNAL_ID} with space` }));
      await failureOf(async () => hubSession({ BEDROCK_ASSUME_ROLE_ARN: `${HUB_ROLE_ARN} ExternalId: ${EXTERNAL_ID}` }));
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }

    // THEN
    const output = printed.join('\n');
    expect(output).toMatch(/BedrockHubError|bedrock-hub-access/);
    expect(printed.length).toBeGreaterThan(40);
    const secrets = [
      EXTERNAL_ID,
      LOCAL_CREDENTIALS.secretAccessKey,
      ...server.issued.flatMap((c) => [c.secretAccessKey, c.sessionToken]),
    ];
    expect(server.issued.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(output).not.toContain(secret);
    }
  });
});
