import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import { BedrockClient, GetFoundationModelCommand } from '@aws-sdk/client-bedrock';
import { BedrockAgentRuntimeClient, InvokeAgentCommand, RetrieveCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import * as esbuild from 'esbuild';
import {
  EXTERNAL_ID,
  EmulatedHub,
  HUB,
  HUB_ROLE_ARN,
  MODEL,
  REGION,
  WORKLOAD,
  calls as trailCalls,
  hubEnv,
  hubTrust,
  refusedEndpoint,
  roleOfKey,
  startEmulatedHub,
  stopEmulatedHub,
} from './emulated-hub';
import { ActiveFault, FaultRule, REDACTED, followClock } from '../../emulator';
import { BedrockHubError, BedrockHubErrorLayer } from '../../lambda-shim/errors';
import { resetBedrockHubSessions } from '../../lambda-shim/process-caches';
import { BedrockHubSession, getBedrockHubSession } from '../../lambda-shim/session';

const MIN = 60_000;
const converse = () => new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'hi' }] }] });
const getModel = () => new GetFoundationModelCommand({ modelIdentifier: MODEL });

const AGENTS = '333344445555';
const KBS = '444455556666';
const AGENTS_ROLE = `arn:aws:iam::${AGENTS}:role/AgentInvokeRole`;
const KBS_ROLE = `arn:aws:iam::${KBS}:role/KnowledgeRole`;
const AGENTS_EXTERNAL_ID = 'agents-external-id';
/** The workload function's session, as STS names it in its AccessDenied messages. */
const CALLER_ARN = `arn:aws:sts::${WORKLOAD}:assumed-role/orders-fn-role/orders-fn`;
const BEDROCK_EVERYTHING = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'bedrock:*', Resource: '*' }] };

let emulated: EmulatedHub;
/** The function's own credentials (the execution role's session). */
let LOCAL_CREDENTIALS: EmulatedHub['master'];
const clients: { destroy(): void }[] = [];
const savedEnv = { ...process.env };
let restoreDate: () => void;

/** A target role in `account` that trusts the workload account (with `externalId`, when given). */
function putTargetRole(account: string, roleName: string, externalId?: string, trusted = WORKLOAD): void {
  const trust = hubTrust(externalId !== undefined);
  const statements = (trust.Statement as Array<Record<string, unknown>>).map((statement) => ({
    ...statement,
    Principal: { AWS: `arn:aws:iam::${trusted}:root` },
    ...(statement.Condition ? { Condition: { StringEquals: { 'sts:ExternalId': externalId } } } : {}),
  }));
  emulated.emulator.putRole({ accountId: account, roleName, trustPolicy: { ...trust, Statement: statements }, policies: [{ name: 'bedrock', document: BEDROCK_EVERYTHING }] });
}

beforeEach(async () => {
  emulated = await startEmulatedHub();
  LOCAL_CREDENTIALS = emulated.master;
  putTargetRole(AGENTS, 'AgentInvokeRole', AGENTS_EXTERNAL_ID);
  putTargetRole(KBS, 'KnowledgeRole');
  emulated.emulator.bedrock.addAgent({ accountId: AGENTS, region: REGION, name: 'orders-agent', agentId: 'PEGHWIVI5Y', foundationModel: MODEL });
  emulated.emulator.bedrock.addAgentAlias({ accountId: AGENTS, region: REGION, agentId: 'PEGHWIVI5Y', agentAliasId: 'IO1GTTHP0M', name: 'live' });
  emulated.emulator.bedrock.addKnowledgeBase({ accountId: KBS, region: REGION, name: 'docs', knowledgeBaseId: 'KB12345678' });
  emulated.emulator.bedrock.addKnowledgeBase({ accountId: AGENTS, region: REGION, name: 'agent-docs', knowledgeBaseId: 'KB12345678' });
  // In-process clients sign with the emulator's time, so the clock can move hours without a skew error.
  restoreDate = followClock(emulated.clock);
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  resetBedrockHubSessions();
  restoreDate();
  await stopEmulatedHub(emulated);
  process.env = { ...savedEnv };
});

/** One request, as the emulator's trail records it (failed authentications included). */
interface Call {
  readonly operation: string;
  readonly service: string;
  readonly auth: 'sigv4' | 'bearer';
  readonly accessKeyId?: string;
  readonly region: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** What the emulator saw and issued. */
const aws = {
  get endpoint(): string {
    return emulated.endpoint;
  },
  /** Every request, in arrival order, once each. */
  get requests(): Call[] {
    const seen = new Set<string>();
    return emulated.emulator.cloudTrail.events.filter((e) => !seen.has(e.requestID) && seen.add(e.requestID) !== undefined).map((e) => ({
      operation: e.eventName,
      service: e.eventSource.split('.')[0],
      auth: (e.additionalEventData as { callWithBearerToken?: boolean } | undefined)?.callWithBearerToken ? 'bearer' : 'sigv4',
      accessKeyId: e.userIdentity.accessKeyId,
      region: e.awsRegion,
      params: e.requestParameters ?? {},
    }));
  },
  count(operation: string): number {
    return this.only(operation).length;
  },
  only(operation: string): Call[] {
    return this.requests.filter((r) => r.operation === operation);
  },
  /** The credentials AssumeRole issued, in order, with the role they belong to. */
  get issued() {
    return trailCalls(emulated.emulator, 'AssumeRole').flatMap((e) => {
      const key = (e.responseElements as { credentials?: { accessKeyId?: string } } | null)?.credentials?.accessKeyId;
      const record = key === undefined ? undefined : emulated.emulator.credentials.lookup(key);
      return record ? [{
        accessKeyId: record.accessKeyId,
        secretAccessKey: record.secretAccessKey,
        sessionToken: record.sessionToken!,
        expiration: new Date(record.expiration!),
        roleArn: roleOfKey(emulated.emulator, key)!,
      }] : [];
    });
  },
  roleOf(call: Call): string | undefined {
    return roleOfKey(emulated.emulator, call.accessKeyId);
  },
};

/** A fault rule, until removed. */
function inject(rule: FaultRule): ActiveFault {
  return emulated.emulator.faults.inject(rule);
}

/** STS refuses AssumeRole, with AWS's answer for `how`. */
function stsFails(how: 'identity-policy' | 'trust-policy' | 'unspecified' | 'role-chaining' | 'throttling' | 'reset'): ActiveFault {
  const denied = (reason: string): FaultRule => ({
    service: 'sts',
    operation: 'AssumeRole',
    kind: 'error',
    code: 'AccessDenied',
    status: 403,
    message: `User: ${CALLER_ARN} is not authorized to perform: sts:AssumeRole on resource: ${HUB_ROLE_ARN}${reason}`,
  });
  switch (how) {
    case 'identity-policy': return inject(denied(' because no identity-based policy allows the sts:AssumeRole action'));
    case 'trust-policy': return inject(denied(' because no resource-based policy allows the sts:AssumeRole action'));
    case 'unspecified': return inject(denied(''));
    case 'role-chaining': return inject({
      service: 'sts',
      operation: 'AssumeRole',
      kind: 'error',
      code: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    });
    case 'throttling': return inject({ service: 'sts', operation: 'AssumeRole', kind: 'throttle' });
    case 'reset': return inject({ service: 'sts', operation: 'AssumeRole', kind: 'reset' });
  }
}

/** Bedrock answers every call of `service` with this error. */
function bedrockFails(service: 'bedrock-runtime' | 'bedrock' | 'bedrock-agent-runtime', code: string, message: string, status = 403): ActiveFault {
  return inject({ service, kind: 'error', code, message, status });
}

/** Every AssumeRole answer names a session in `accountId`. */
function assumedAccount(accountId: string): ActiveFault {
  return inject({ service: 'sts', operation: 'AssumeRole', kind: 'assumed-role-account', accountId });
}

/** The clock moves to `ms` before `expiration`. */
function setLeft(expiration: Date, ms: number): void {
  emulated.clock.set(expiration.getTime() - ms);
}

/** The environment of the hub-enabled function the tests share. */
function sessionEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return hubEnv(emulated, { AWS_LAMBDA_FUNCTION_NAME: 'workload-function', ...extra });
}

/** The hub session of a function whose STS and Bedrock are the emulator. */
function hubSession(extra: Record<string, string | undefined> = {}): BedrockHubSession {
  return getBedrockHubSession({ env: sessionEnv(extra), clock: emulated.clock.now, masterCredentials: LOCAL_CREDENTIALS });
}

/** Keeps `client` for destruction after the test. */
function track<C extends { destroy(): void }>(client: C): C {
  clients.push(client);
  return client;
}

function runtimeClient(hub: BedrockHubSession, config: Record<string, unknown> = {}): BedrockRuntimeClient {
  return track(hub.client(BedrockRuntimeClient, { endpoint: aws.endpoint, ...config }));
}

/** Rejects with what `promise` rejects with, or fails the test. */
async function rejection(promise: Promise<unknown>): Promise<BedrockHubError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(BedrockHubError);
  return error as BedrockHubError;
}

/** Requests to Bedrock (not STS). */
function bedrockRequests() {
  return aws.requests.filter((r) => r.service !== 'sts');
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
    const config = { region: 'us-east-1', credentials: LOCAL_CREDENTIALS, endpoint: aws.endpoint };

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
    expect(aws.requests).toEqual([expect.objectContaining({ operation: 'Converse', accessKeyId: LOCAL_CREDENTIALS.accessKeyId })]);
    const error = new Error('x');
    expect(hub.explainError(error)).toBe(error);
  });
});

describe('one credential cache, one AssumeRole', () => {
  test('3 clients × 50 concurrent calls: exactly one AssumeRole, every call signed with its credentials', async () => {
    // GIVEN three different clients (HTTP/2 runtime, HTTP/1.1 control plane, STS) from the same session
    const hub = hubSession();
    const runtime = runtimeClient(hub);
    const control = track(hub.client(BedrockClient, { endpoint: aws.endpoint }));
    const sts = track(hub.client(STSClient, { endpoint: aws.endpoint }));
    inject({ service: 'sts', operation: 'AssumeRole', kind: 'latency', ms: 50 });

    // WHEN each makes 50 calls at once
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 50; i++) {
      calls.push(runtime.send(converse()), control.send(getModel()), sts.send(new GetCallerIdentityCommand({})));
    }
    await Promise.all(calls);

    // THEN
    const assumeRoles = aws.count('AssumeRole');
    // eslint-disable-next-line no-console
    console.log(`3 clients × 50 concurrent calls → ${assumeRoles} AssumeRole call(s)`);
    expect(assumeRoles).toBe(1);
    const hubKey = aws.issued[0];
    const others = aws.requests.filter((r) => r.operation !== 'AssumeRole');
    expect(others).toHaveLength(150);
    expect(new Set(others.map((r) => `${r.auth} ${r.accessKeyId}`))).toEqual(new Set([`sigv4 ${hubKey.accessKeyId}`]));
    expect(new Set(others.map((r) => r.operation))).toEqual(new Set(['Converse', 'GetFoundationModel', 'GetCallerIdentity']));
  });

  test('hub.credentials serves other SDK clients from the same cache, windows included', async () => {
    // GIVEN a client the shim did not build
    const hub = hubSession();
    const foreign = track(new BedrockRuntimeClient({ region: 'us-east-1', endpoint: aws.endpoint, credentials: hub.credentials }));
    await foreign.send(converse());
    await runtimeClient(hub).send(converse());

    // WHEN the credentials enter the refresh window
    setLeft(aws.issued[0].expiration, 12 * MIN);
    await foreign.send(converse());

    // THEN the foreign client did not keep its own copy: it follows the shim's refresh
    expect(aws.count('AssumeRole')).toBe(2);
    expect(aws.only('Converse').map((r) => r.accessKeyId)).toEqual([
      aws.issued[0].accessKeyId, aws.issued[0].accessKeyId, aws.issued[1].accessKeyId,
    ]);
    const identity = await hub.credentials!();
    expect(identity.expiration).toEqual(new Date(aws.issued[1].expiration.getTime() - 10 * MIN));
    expect(identity.accountId).toBe('111122223333');
  });
});

describe('refresh windows, end to end (the clock moves, nothing sleeps)', () => {
  test('cached above 15 min, refreshed at 12, kept on failure with STS retried every 30 s, never used in the last 10', async () => {
    const hub = hubSession();
    const runtime = runtimeClient(hub);
    const lastKey = () => aws.only('Converse').at(-1)?.accessKeyId;

    // Fresh: one AssumeRole
    await runtime.send(converse());
    const first = aws.issued[0];

    // More than 15 minutes left: cached
    setLeft(first.expiration, 20 * MIN);
    await runtime.send(converse());
    setLeft(first.expiration, 15 * MIN + 1_000);
    await runtime.send(converse());
    expect(aws.count('AssumeRole')).toBe(1);
    expect(lastKey()).toBe(first.accessKeyId);

    // 12 minutes left: refreshed before signing
    setLeft(first.expiration, 12 * MIN);
    await runtime.send(converse());
    expect(aws.count('AssumeRole')).toBe(2);
    const second = aws.issued[1];
    expect(lastKey()).toBe(second.accessKeyId);

    // Advisory window with STS failing: the current credentials carry on
    const refusing = stsFails('trust-policy');
    setLeft(second.expiration, 12 * MIN);
    await runtime.send(converse());
    expect(aws.count('AssumeRole')).toBe(3);
    expect(lastKey()).toBe(second.accessKeyId);

    // … and STS is not asked again for 30 s
    emulated.clock.advance(29_000);
    await runtime.send(converse());
    expect(aws.count('AssumeRole')).toBe(3);
    emulated.clock.advance(1_000);
    await runtime.send(converse());
    expect(aws.count('AssumeRole')).toBe(4);
    expect(lastKey()).toBe(second.accessKeyId);

    // 10 minutes left and STS still failing: the call fails and is never sent
    const sent = aws.only('Converse').length;
    for (const left of [10 * MIN, 9 * MIN, 30_000]) {
      setLeft(second.expiration, left);
      const error = await rejection(runtime.send(converse()));
      expect(error.layer).toBe('trust-policy');
    }
    expect(aws.only('Converse')).toHaveLength(sent);

    // STS back: refreshed, and signed with the new credentials
    refusing.remove();
    await runtime.send(converse());
    expect(lastKey()).toBe(aws.issued[2].accessKeyId);
  });

  test('a frozen function thawed after its credentials expired refreshes before its first call', async () => {
    const runtime = runtimeClient(hubSession());
    await runtime.send(converse());

    emulated.clock.advance(3 * 60 * MIN);
    await runtime.send(converse());

    expect(aws.only('Converse').map((r) => r.accessKeyId)).toEqual([aws.issued[0].accessKeyId, aws.issued[1].accessKeyId]);
  });
});

describe('never the local credentials', () => {
  test('AssumeRole fails: the Bedrock call fails and is never sent, least of all with the local key', async () => {
    stsFails('unspecified');
    const hub = hubSession();

    const runtimeError = await rejection(runtimeClient(hub).send(converse()));
    const controlError = await rejection(track(hub.client(BedrockClient, { endpoint: aws.endpoint })).send(getModel()));

    expect(runtimeError.layer).toBe('assume-role-denied');
    expect(controlError.layer).toBe('assume-role-denied');
    expect(bedrockRequests()).toEqual([]);
    expect(aws.requests.filter((r) => r.accessKeyId === LOCAL_CREDENTIALS.accessKeyId).map((r) => r.operation)).toEqual(['AssumeRole', 'AssumeRole']);
  });

  test('with the default chain finding local credentials in the environment, too', async () => {
    // GIVEN a function whose own credentials are in process.env, as in Lambda
    cleanProcessEnv({
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: LOCAL_CREDENTIALS.sessionToken,
    });
    stsFails('trust-policy');
    const hub = getBedrockHubSession({ env: sessionEnv(), clock: emulated.clock.now });

    // WHEN
    const error = await rejection(runtimeClient(hub).send(converse()));

    // THEN
    expect(error.layer).toBe('trust-policy');
    expect(aws.requests.map((r) => `${r.operation} ${r.accessKeyId}`)).toEqual([`AssumeRole ${LOCAL_CREDENTIALS.accessKeyId}`]);
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
    const plainRuntime = track(new BedrockRuntimeClient({ region: 'us-east-1', endpoint: aws.endpoint, credentials: LOCAL_CREDENTIALS }));
    const plainControl = track(new BedrockClient({ region: 'us-east-1', endpoint: aws.endpoint, credentials: LOCAL_CREDENTIALS }));

    // (the emulator knows no such API key: the point is how the clients authenticated)
    await plainRuntime.send(converse()).catch(() => undefined);
    await plainControl.send(getModel()).catch(() => undefined);

    expect(aws.requests.map((r) => r.auth)).toEqual(['bearer', 'bearer']);
  });

  test('hub clients sign SigV4 with the hub credentials, whatever the config prefers', async () => {
    const hub = hubSession();
    const runtime = runtimeClient(hub, { authSchemePreference: ['httpBearerAuth'] });
    const control = track(hub.client(BedrockClient, { endpoint: aws.endpoint }));

    await runtime.send(converse());
    await control.send(getModel());

    expect(bedrockRequests().map((r) => `${r.auth} ${r.accessKeyId}`)).toEqual([
      `sigv4 ${aws.issued[0].accessKeyId}`, `sigv4 ${aws.issued[0].accessKeyId}`,
    ]);
  });

  test('and when AssumeRole fails, nothing is sent with the bearer token instead', async () => {
    stsFails('throttling');
    // An invocation with 1 s left: no time to retry the throttled AssumeRole.
    const error = await rejection(runtimeClient(hubSession().withContext({ getRemainingTimeInMillis: () => 1_000 })).send(converse()));

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
      expiration: aws.issued[0].expiration,
    });
    expect(aws.requests.map((r) => r.operation)).toEqual(['AssumeRole']);
  });

  test('a session in another account than the role\'s: refused, Bedrock never called', async () => {
    assumedAccount('999988887777');
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

    expect(aws.requests.map((r) => `${r.operation} ${r.region}`)).toEqual(['AssumeRole us-east-1', 'Converse us-east-1', 'Converse us-west-2']);
  });

  test('AWS_ENDPOINT_URL_STS in process.env is honoured (resolved by the SDK itself)', async () => {
    const elsewhere = await refusedEndpoint();
    cleanProcessEnv({
      BEDROCK_ASSUME_ROLE_ARN: HUB_ROLE_ARN,
      BEDROCK_ASSUME_ROLE_EXTERNAL_ID: EXTERNAL_ID,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: elsewhere,
      AWS_ENDPOINT_URL_STS: aws.endpoint,
    });
    const hub = getBedrockHubSession({ clock: emulated.clock.now, masterCredentials: LOCAL_CREDENTIALS });

    await runtimeClient(hub).send(converse());

    expect(aws.requests.map((r) => r.operation)).toEqual(['AssumeRole', 'Converse']);
  });

  test('AWS_ENDPOINT_URL in process.env serves STS and the hub clients alike', async () => {
    cleanProcessEnv({ BEDROCK_ASSUME_ROLE_ARN: HUB_ROLE_ARN, BEDROCK_ASSUME_ROLE_EXTERNAL_ID: EXTERNAL_ID, AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: aws.endpoint });
    const hub = getBedrockHubSession({ clock: emulated.clock.now, masterCredentials: LOCAL_CREDENTIALS });

    await track(hub.client(BedrockRuntimeClient)).send(converse());

    expect(aws.requests.map((r) => r.operation)).toEqual(['AssumeRole', 'Converse']);
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

describe('Bedrock errors are explained by the client itself', () => {
  const DENIED = 'User: arn:aws:sts::111122223333:assumed-role/BedrockHubRole/workload-function is not authorized to perform: ' +
    'bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku';

  test('AccessDenied after AssumeRole worked: a BedrockHubError naming the hub role\'s permissions or model access', async () => {
    const hub = hubSession();
    bedrockFails('bedrock-runtime', 'AccessDeniedException', DENIED);

    const error = await rejection(runtimeClient(hub).send(converse()));

    expect(error.layer).toBe('hub-permission');
    expect(error.message).toMatch(/hub role .*BedrockHubRole in us-east-1.*allow bedrock:InvokeModel/);
    expect(error.message).not.toMatch(/model access/i);
    expect(error.cause).toMatchObject({ name: 'AccessDeniedException', message: DENIED });
    // SDK-aware code still finds the request id, the status and the fault
    expect(error.$metadata).toMatchObject({ httpStatusCode: 403, requestId: expect.any(String) });
    expect(error.$fault).toBe('client');
    // hub.explainError still works, and leaves an explained error as it is
    expect(hub.explainError(error)).toBe(error);
    expect((hub.explainError(error.cause) as BedrockHubError).layer).toBe('hub-permission');
  });

  test('the control plane (HTTP/1.1) too; errors with nothing to add pass unchanged', async () => {
    const hub = hubSession();
    bedrockFails('bedrock', 'ResourceNotFoundException', 'Failed to retrieve resource because it doesn\'t exist.', 404);
    const notFound = await rejection(track(hub.client(BedrockClient, { endpoint: aws.endpoint })).send(getModel()));
    expect(notFound.layer).toBe('hub-resource');
    expect(notFound.$metadata?.httpStatusCode).toBe(404);

    // An STS client built by the hub is not a Bedrock client: its errors are not Bedrock's to explain
    const sts = track(hub.client(STSClient, { endpoint: aws.endpoint }));
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Account: '111122223333' });
    stsFails('trust-policy');
    const stsError = await sts.send(new AssumeRoleCommand({ RoleArn: HUB_ROLE_ARN, RoleSessionName: 'x' })).catch((e: unknown) => e);
    expect(stsError).not.toBeInstanceOf(BedrockHubError);
    expect(stsError).toMatchObject({ name: 'AccessDenied' });
  });
});

describe('several accounts: forAccount and forResource', () => {
  const AGENT_ALIAS_ARN = `arn:aws:bedrock:us-east-1:${AGENTS}:agent-alias/PEGHWIVI5Y/IO1GTTHP0M`;
  const KB_ARN = `arn:aws:bedrock:us-east-1:${KBS}:knowledge-base/KB12345678`;
  const TARGETS = JSON.stringify([{ roleArn: AGENTS_ROLE, externalId: AGENTS_EXTERNAL_ID }, { roleArn: KBS_ROLE }]);
  const multiHub = (extra: Record<string, string | undefined> = {}) => hubSession({ BEDROCK_ASSUME_ROLE_TARGETS: TARGETS, ...extra });
  const agentClient = (session: BedrockHubSession) => track(session.client(BedrockAgentRuntimeClient, { endpoint: aws.endpoint }));
  const invokeAgent = () => new InvokeAgentCommand({ agentId: 'PEGHWIVI5Y', agentAliasId: 'IO1GTTHP0M', sessionId: 'session-1', inputText: 'hi' });
  const retrieve = () => new RetrieveCommand({ knowledgeBaseId: 'KB12345678', retrievalQuery: { text: 'q' } });
  /** The text of an InvokeAgent answer. */
  async function completion(output: { completion?: AsyncIterable<{ chunk?: { bytes?: Uint8Array } }> }): Promise<string> {
    let text = '';
    for await (const event of output.completion ?? []) text += Buffer.from(event.chunk?.bytes ?? []).toString('utf8');
    return text;
  }

  test('hub + 2 target accounts × 40 concurrent calls each: one AssumeRole per role, every call signed as its account\'s role', async () => {
    // GIVEN one client per account, from the hub session, forAccount and forResource
    const hub = multiHub();
    const runtime = runtimeClient(hub);
    const agents = agentClient(hub.forAccount(AGENTS));
    const kbs = agentClient(hub.forResource(KB_ARN));
    inject({ service: 'sts', operation: 'AssumeRole', kind: 'latency', ms: 50 });

    // WHEN each makes 40 calls at once
    const calls: Promise<unknown>[] = [];
    const answers: Promise<string>[] = [];
    for (let i = 0; i < 40; i++) {
      calls.push(runtime.send(converse()), kbs.send(retrieve()));
      answers.push(agents.send(invokeAgent()).then(completion));
    }
    await Promise.all(calls);
    const texts = await Promise.all(answers);

    // THEN one AssumeRole per role, each with its own ExternalId (never the hub's) and the same session settings
    const assumeRoles = aws.only('AssumeRole');
    // eslint-disable-next-line no-console
    console.log(`hub + 2 target accounts, 3 clients × 40 concurrent calls → ${assumeRoles.length} AssumeRole call(s): ` +
      JSON.stringify(Object.fromEntries([HUB_ROLE_ARN, AGENTS_ROLE, KBS_ROLE].map((arn) => [arn.split(':')[4], assumeRoles.filter((r) => r.params.roleArn === arn).length]))));
    // (each trust policy's sts:ExternalId condition checks the value; the trail only shows whether one was sent)
    expect(assumeRoles.map((r) => [r.params.roleArn, r.params.externalId, r.params.roleSessionName, r.params.durationSeconds]).sort()).toEqual([
      [HUB_ROLE_ARN, REDACTED, 'workload-function', 3600],
      [AGENTS_ROLE, REDACTED, 'workload-function', 3600],
      [KBS_ROLE, undefined, 'workload-function', 3600],
    ].sort());
    expect(assumeRoles.every((r) => r.accessKeyId === LOCAL_CREDENTIALS.accessKeyId)).toBe(true);
    const signers = (operation: string) => new Set(aws.only(operation).map((r) => aws.roleOf(r)));
    expect(signers('Converse')).toEqual(new Set([HUB_ROLE_ARN]));
    expect(signers('InvokeAgent')).toEqual(new Set([AGENTS_ROLE]));
    expect(signers('Retrieve')).toEqual(new Set([KBS_ROLE]));
    expect(bedrockRequests()).toHaveLength(120);
    expect(texts.every((text) => text.length > 0)).toBe(true);
    expect(await hub.forAccount(AGENTS).identity()).toMatchObject({
      account: AGENTS, arn: `arn:aws:sts::${AGENTS}:assumed-role/AgentInvokeRole/workload-function`,
    });
  });

  test('forAccount: the hub\'s account is the hub session, each target its own; the same objects every time', () => {
    const hub = multiHub();
    const agents = hub.forAccount(AGENTS);

    expect(hub.forAccount('111122223333')).toBe(hub);
    expect(agents).not.toBe(hub);
    expect(agents).toMatchObject({ enabled: true, roleArn: AGENTS_ROLE, account: AGENTS, sessionName: 'workload-function', region: 'us-east-1' });
    expect(agents.credentials).not.toBe(hub.credentials);
    expect(multiHub().forAccount(AGENTS)).toBe(agents);
    expect(agents.forAccount('111122223333')).toBe(hub);
    expect(agents.forAccount(KBS)).toBe(hub.forAccount(KBS));
    expect(hub.accounts).toEqual(['111122223333', AGENTS, KBS]);
    expect(JSON.parse(JSON.stringify(agents))).toEqual({
      enabled: true,
      region: 'us-east-1',
      roleArn: AGENTS_ROLE,
      sessionName: 'workload-function',
      externalId: '(set)',
      durationSeconds: 3600,
      accounts: ['111122223333', AGENTS, KBS],
    });
    // A different target list is a different configuration
    expect(hubSession({ BEDROCK_ASSUME_ROLE_TARGETS: JSON.stringify([{ roleArn: AGENTS_ROLE }]) })).not.toBe(hub);
  });

  // One row per argument: what forAccount / forResource answer, or the error they throw.
  const lookups: [string, 'forAccount' | 'forResource', string, 'hub' | 'agents' | 'kbs' | [BedrockHubErrorLayer, RegExp]][] = [
    ['target account', 'forAccount', AGENTS, 'agents'],
    ['account with a stray quote', 'forAccount', `${AGENTS}"`, ['invalid-identifier', /forAccount: the account id "333344445555\\"" has a trailing '"'; an account id is 12 digits/]],
    ['account with whitespace', 'forAccount', ` ${AGENTS}`, ['invalid-identifier', /has a leading space/]],
    ['account of 11 digits', 'forAccount', '33334444555', ['invalid-identifier', /is not 12 digits/]],
    ['account without a role', 'forAccount', '999988887777', ['no-target-role',
      /No role is configured for account 999988887777\. Accounts with a role: 111122223333 \(BEDROCK_ASSUME_ROLE_ARN\), 333344445555 \(BEDROCK_ASSUME_ROLE_TARGETS\), 444455556666 \(BEDROCK_ASSUME_ROLE_TARGETS\)\. Add \{"roleArn":"arn:aws:iam::999988887777:role\/<name>"\} to BEDROCK_ASSUME_ROLE_TARGETS/]],
    ['agent alias ARN', 'forResource', AGENT_ALIAS_ARN, 'agents'],
    ['knowledge base ARN', 'forResource', KB_ARN, 'kbs'],
    ['application inference profile in the hub', 'forResource', 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abcdef123456', 'hub'],
    ['foundation model ARN (no account)', 'forResource', 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0', 'hub'],
    ['model id', 'forResource', 'anthropic.claude-3-haiku-20240307-v1:0', 'hub'],
    ['system-defined profile id', 'forResource', 'us.amazon.nova-lite-v1:0', 'hub'],
    ['agent alias ARN in an account without a role', 'forResource', 'arn:aws:bedrock:us-east-1:999988887777:agent-alias/PEGHWIVI5Y/IO1GTTHP0M', ['no-target-role',
      /No role is configured for account 999988887777, where the agent-alias arn:aws:bedrock:us-east-1:999988887777:agent-alias\/PEGHWIVI5Y\/IO1GTTHP0M is/]],
    ['agent alias ARN with a stray quote', 'forResource', `${AGENT_ALIAS_ARN}"`, ['invalid-identifier', /forResource: .*IO1GTTHP0M\\"" has a trailing '"'/]],
    ['a plain agent id', 'forResource', 'PEGHWIVI5Y', ['invalid-identifier', /"PEGHWIVI5Y" is not an ARN; agent, knowledge base and guardrail ids name no account.*or call forAccount\(accountId\)/]],
    ['a model id with a trailing newline', 'forResource', 'anthropic.claude-v2\n', ['invalid-identifier', /has a trailing newline/]],
    ['an IAM ARN', 'forResource', AGENTS_ROLE, ['invalid-identifier', /is an ARN of the 'iam' service, not of Bedrock/]],
  ];
  test.each(lookups)('%s', (_, method, argument, expected) => {
    const hub = multiHub();
    const sessions = { hub, agents: hub.forAccount(AGENTS), kbs: hub.forAccount(KBS) };
    if (typeof expected === 'string') {
      expect(hub[method](argument)).toBe(sessions[expected]);
      expect(sessions.agents[method](argument)).toBe(sessions[expected]);
      return;
    }
    let error: unknown;
    try {
      hub[method](argument);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BedrockHubError);
    expect(error).toMatchObject({ layer: expected[0] });
    expect((error as Error).message).toMatch(expected[1]);
  });

  test('each target has its own cache: windows and the ExpiredToken retry apply per role', async () => {
    const hub = multiHub();
    const runtime = runtimeClient(hub);
    const agents = agentClient(hub.forAccount(AGENTS));
    await runtime.send(converse());
    await completion(await agents.send(invokeAgent()));
    const [hubKey, agentKey] = [HUB_ROLE_ARN, AGENTS_ROLE].map((arn) => aws.issued.find((c) => c.roleArn === arn)!);

    // 10 minutes on, Bedrock says the agent role's credentials expired: only that role is refreshed, and the call retried once
    emulated.clock.advance(10 * MIN);
    emulated.emulator.expireCredentials(agentKey.accessKeyId);
    expect(await completion(await agents.send(invokeAgent()))).not.toBe('');
    expect(aws.only('AssumeRole').map((r) => r.params.roleArn)).toEqual([HUB_ROLE_ARN, AGENTS_ROLE, AGENTS_ROLE]);
    expect(aws.only('InvokeAgent').map((r) => aws.roleOf(r))).toEqual([AGENTS_ROLE, AGENTS_ROLE, AGENTS_ROLE]);

    // 12 minutes before the hub's credentials end: the hub is refreshed, the agent role (fetched 10 minutes later) is not
    setLeft(hubKey.expiration, 12 * MIN);
    await runtime.send(converse());
    await completion(await agents.send(invokeAgent()));
    expect(aws.only('AssumeRole').map((r) => r.params.roleArn)).toEqual([HUB_ROLE_ARN, AGENTS_ROLE, AGENTS_ROLE, HUB_ROLE_ARN]);
  });

  test('a target whose AssumeRole fails fails alone: no fallback to the hub\'s or the function\'s credentials', async () => {
    putTargetRole(AGENTS, 'AgentInvokeRole', AGENTS_EXTERNAL_ID, '999988887777');
    const hub = multiHub();

    const error = await rejection(agentClient(hub.forAccount(AGENTS)).send(invokeAgent()));
    await runtimeClient(hub).send(converse());

    // STS answers a cross-account denial with the bare line: the shim cannot tell which side refused
    expect(error.layer).toBe('assume-role-denied');
    expect(error.message).toContain(`AssumeRole on ${AGENTS_ROLE} was denied`);
    expect(error.hint).toContain(`the role trust policy of ${AGENTS_ROLE} in the target account ${AGENTS}`);
    expect(aws.only('InvokeAgent')).toEqual([]);
    expect(aws.only('Converse').map((r) => aws.roleOf(r))).toEqual([HUB_ROLE_ARN]);
  });

  test('the identity is checked against the target\'s account', async () => {
    // GIVEN an STS that answers every AssumeRole with a session in the hub account
    assumedAccount('111122223333');
    const hub = multiHub();

    const error = await rejection(agentClient(hub.forAccount(AGENTS)).send(invokeAgent()));
    await runtimeClient(hub).send(converse());

    expect(error.layer).toBe('identity-mismatch');
    expect(error.message).toMatch(/session in account 111122223333 .*not in the role's account 333344445555/);
    expect(aws.only('InvokeAgent')).toEqual([]);
  });

  test('errors of a target\'s clients are explained against that role', async () => {
    bedrockFails('bedrock-agent-runtime', 'AccessDeniedException', `User: arn:aws:sts::${AGENTS}:assumed-role/AgentInvokeRole/workload-function is not authorized to perform: bedrock:InvokeAgent`);
    const error = await rejection(agentClient(multiHub().forResource(AGENT_ALIAS_ARN)).send(invokeAgent()));

    expect(error.layer).toBe('hub-permission');
    expect(error.message).toMatch(new RegExp(`denied the call to the target role ${AGENTS_ROLE}.*In the target account ${AGENTS}: allow bedrock:InvokeAgent`));
  });

  test('a target client refuses a resource of the hub account before anything is sent', async () => {
    const agents = multiHub().forAccount(AGENTS);
    const runtime = runtimeClient(agents);

    const error = await rejection(runtime.send(new ConverseCommand({
      modelId: 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abcdef123456', messages: [],
    })));

    expect(error.layer).toBe('resource-account');
    expect(error.hint).toMatch(/hub\.forResource\('arn:aws:bedrock:us-east-1:111122223333:application-inference-profile\/abcdef123456'\), which signs as arn:aws:iam::111122223333:role\/BedrockHubRole/);
    expect(aws.requests).toEqual([]);
  });
});

describe('hub mode off, with and without targets', () => {

  test('no role at all: forAccount and forResource are the plain session itself, arguments still checked', () => {
    const hub = getBedrockHubSession({ env: { AWS_REGION: 'us-east-1' } });

    expect(hub.forAccount(AGENTS)).toBe(hub);
    expect(hub.forResource(`arn:aws:bedrock:us-east-1:${AGENTS}:agent-alias/PEGHWIVI5Y/IO1GTTHP0M`)).toBe(hub);
    expect(hub.accounts).toEqual([]);
    expect(() => hub.forAccount(`${AGENTS}'`)).toThrow(/invalid-identifier.*has a trailing '''/);
  });

  test('targets without a hub role: Bedrock stays local, the target accounts go through their roles', async () => {
    putTargetRole(AGENTS, 'AgentInvokeRole');
    // GIVEN BEDROCK_ASSUME_ROLE_TARGETS alone
    const hub = getBedrockHubSession({
      env: { ...sessionEnv(), BEDROCK_ASSUME_ROLE_ARN: '', BEDROCK_ASSUME_ROLE_TARGETS: JSON.stringify([{ roleArn: AGENTS_ROLE }]) },
      clock: emulated.clock.now,
      masterCredentials: LOCAL_CREDENTIALS,
    });

    // WHEN
    const local = track(hub.client(BedrockRuntimeClient, { region: 'us-east-1', endpoint: aws.endpoint, credentials: LOCAL_CREDENTIALS }));
    await local.send(converse());
    const agents = hub.forAccount(AGENTS);
    await track(agents.client(BedrockAgentRuntimeClient, { endpoint: aws.endpoint })).send(invokeAgentCommand());

    // THEN the hub-off session builds plain clients; the target's are signed as its role; other accounts stay local
    expect(hub.enabled).toBe(false);
    expect(agents).toMatchObject({ enabled: true, roleArn: AGENTS_ROLE, account: AGENTS });
    expect(hub.forAccount('999988887777')).toBe(hub);
    expect(agents.forAccount('999988887777')).toBe(hub);
    expect(hub.accounts).toEqual([AGENTS]);
    expect(aws.requests.map((r) => `${r.operation} ${r.accessKeyId === LOCAL_CREDENTIALS.accessKeyId ? 'local' : aws.roleOf(r)}`)).toEqual([
      'Converse local', 'AssumeRole local', `InvokeAgent ${AGENTS_ROLE}`,
    ]);
    // No ExternalId: the hub's BEDROCK_ASSUME_ROLE_EXTERNAL_ID belongs to the hub role, and is never sent elsewhere
    expect(aws.only('AssumeRole')[0].params).not.toHaveProperty('externalId');
  });

  function invokeAgentCommand(): InvokeAgentCommand {
    return new InvokeAgentCommand({ agentId: 'PEGHWIVI5Y', agentAliasId: 'IO1GTTHP0M', sessionId: 'session-1', inputText: 'hi' });
  }
});

describe('attribution: session tags and source identity', () => {
  const ATTRIBUTION = {
    BEDROCK_ASSUME_ROLE_SESSION_TAGS: JSON.stringify({ 'team': 'orders', 'cost-center': '1234' }),
    BEDROCK_ASSUME_ROLE_FUNCTION_NAME_TAG_KEY: 'lambda-function',
    BEDROCK_ASSUME_ROLE_SOURCE_IDENTITY: 'orders-service',
    BEDROCK_ASSUME_ROLE_TARGETS: JSON.stringify([{ roleArn: AGENTS_ROLE }]),
  };

  test('every AssumeRole, the hub\'s and the targets\', carries the tags and the source identity', async () => {
    putTargetRole(AGENTS, 'AgentInvokeRole');
    const hub = hubSession(ATTRIBUTION);

    await runtimeClient(hub).send(converse());
    await track(hub.forAccount('333344445555').client(BedrockAgentRuntimeClient, { endpoint: aws.endpoint }))
      .send(new RetrieveCommand({ knowledgeBaseId: 'KB12345678', retrievalQuery: { text: 'q' } }));

    const requests = aws.only('AssumeRole');
    expect(requests.map((r) => r.params.roleArn)).toEqual([HUB_ROLE_ARN, AGENTS_ROLE]);
    for (const request of requests) {
      expect(request.params.tags).toEqual([{ key: 'team', value: 'orders' }, { key: 'cost-center', value: '1234' }, { key: 'lambda-function', value: 'workload-function' }]);
      expect(request.params.sourceIdentity).toBe('orders-service');
    }
    expect(JSON.parse(JSON.stringify(hub))).toMatchObject({
      sessionTags: { 'team': 'orders', 'cost-center': '1234', 'lambda-function': 'workload-function' },
      sourceIdentity: 'orders-service',
    });
  });

  test('sts:TagSession missing: layer attribution, and the hint names both sides', async () => {
    emulated.emulator.putRole({ accountId: '111122223333', roleName: 'BedrockHubRole', trustPolicy: hubTrust(true, ['sts:SetSourceIdentity']), policies: [{ name: 'bedrock', document: BEDROCK_EVERYTHING }] });

    const error = await rejection(runtimeClient(hubSession(ATTRIBUTION)).send(converse()));

    expect(error.layer).toBe('attribution');
    // STS names the action, not the policy: the message claims no side, the hint names both
    expect(error.message).toMatch(
      /sent the session tags team, cost-center, lambda-function .*may not sts:TagSession on it\. STS said: User: \S+ is not authorized to perform: sts:TagSession on resource: arn:aws:iam::111122223333:role\/BedrockHubRole Allow sts:TagSession on both sides/);
    expect(error.hint).toMatch(/Allow sts:TagSession on both sides: in the execution role's identity-based policy.*AND in the trust policy of arn:aws:iam::111122223333:role\/BedrockHubRole/);
    expect(bedrockRequests()).toEqual([]);
  });
});

describe('secrets never reach a message, a log or JSON', () => {
  const TARGET_EXTERNAL_ID = 'target-ext-id-SHOULD-NEVER-APPEAR-1b2c';

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
      for (const failure of ['identity-policy', 'trust-policy', 'unspecified', 'role-chaining', 'throttling', 'reset'] as const) {
        resetBedrockHubSessions();
        const fault = stsFails(failure);
        await failureOf(() => runtimeClient(hubSession().withContext({ getRemainingTimeInMillis: () => 1_000 })).send(converse()));
        fault.remove();
      }
      resetBedrockHubSessions();
      const elsewhere = assumedAccount('999988887777');
      await failureOf(() => runtimeClient(hubSession()).send(converse()));
      elsewhere.remove();
      resetBedrockHubSessions();
      const expired = bedrockFails('bedrock-runtime', 'ExpiredTokenException', 'The security token included in the request is expired');
      await failureOf(() => runtimeClient(hubSession()).send(converse()));
      expired.remove();
      const denied = bedrockFails('bedrock-runtime', 'AccessDeniedException', 'denied');
      const explainedHub = hubSession();
      await failureOf(async () => {
        throw explainedHub.explainError(await runtimeClient(explainedHub).send(converse()).catch((e: unknown) => e));
      });
      await failureOf(async () => hubSession({ BEDROCK_ASSUME_ROLE_EXTERNAL_ID: `${EXTERNAL_ID} with space` }));

      // AND a target account with its own ExternalId, working and failing
      denied.remove();
      const targetRole = AGENTS_ROLE;
      putTargetRole(AGENTS, 'AgentInvokeRole', TARGET_EXTERNAL_ID);
      const targets = (externalId: string) => ({ BEDROCK_ASSUME_ROLE_TARGETS: JSON.stringify([{ roleArn: targetRole, externalId }]) });
      const multi = hubSession(targets(TARGET_EXTERNAL_ID));
      const agents = multi.forAccount('333344445555');
      show(multi);
      show(agents);
      show(await track(agents.client(BedrockRuntimeClient, { endpoint: aws.endpoint })).send(converse()));
      resetBedrockHubSessions();
      putTargetRole('333344445555', 'AgentInvokeRole', TARGET_EXTERNAL_ID, '999988887777');
      await failureOf(() => runtimeClient(hubSession(targets(TARGET_EXTERNAL_ID)).forAccount('333344445555')).send(converse()));
      await failureOf(async () => hubSession(targets(`${TARGET_EXTERNAL_ID} with space`)));
      await failureOf(async () => hubSession(targets(TARGET_EXTERNAL_ID)).forAccount('999988887777'));
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
      TARGET_EXTERNAL_ID,
      LOCAL_CREDENTIALS.secretAccessKey,
      ...aws.issued.flatMap((c) => [c.secretAccessKey, c.sessionToken]),
    ];
    expect(aws.issued.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(output).not.toContain(secret);
    }
  });
});

describe('ready(): an ES module awaiting it at top level', () => {
  test('is held open while a throttled prefetch waits to retry (nothing else holds the process during INIT), and then goes on', async () => {
    // GIVEN the shim bundled as NodejsFunction bundles it, an ES module handler that awaits hub.ready()
    // at top level, and STS throttling the first AssumeRole
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shim-ready-'));
    try {
      await esbuild.build({
        entryPoints: [path.join(__dirname, '..', '..', 'lambda-shim', 'index.ts')],
        outfile: path.join(dir, 'shim.cjs'),
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        external: ['@aws-sdk/*'],
        logLevel: 'silent',
      });
      fs.writeFileSync(path.join(dir, 'handler.mjs'), [
        "import shim from './shim.cjs';",
        'const hub = shim.getBedrockHubSession({ prefetch: false });',
        'await hub.ready();',
        "console.log('ready', (await hub.identity()).account);",
      ].join('\n'));
      const throttled = emulated.emulator.faults.inject({ service: 'sts', operation: 'AssumeRole', kind: 'throttle', times: 1 });
      const env = {
        PATH: process.env.PATH,
        NODE_PATH: path.join(__dirname, '..', '..', 'node_modules'),
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_SESSION_TOKEN: LOCAL_CREDENTIALS.sessionToken,
        AWS_CONFIG_FILE: path.join(dir, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'),
        ...hubEnv(emulated),
      };

      // WHEN
      const child = await util.promisify(execFile)(process.execPath, [path.join(dir, 'handler.mjs')], { env, timeout: 30_000 })
        .catch((error: { code?: number; stdout?: string; stderr?: string }) => error);

      // THEN the module finished (Node ends a process whose top-level await has nothing holding it with code 13)
      expect(throttled.hits).toBe(1);
      expect(child).toMatchObject({ stdout: `ready ${HUB}\n` });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
