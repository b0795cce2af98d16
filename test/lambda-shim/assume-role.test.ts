import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  AGENTS_ROLE_ARN,
  EXTERNAL_ID,
  EmulatedHub,
  HUB_ROLE_ARN,
  WORKLOAD,
  assumeRoleCalls,
  hubTrust,
  startEmulatedHub,
  stopEmulatedHub,
} from './emulated-hub';
import { ActiveFault, FaultKind, REDACTED } from '../../emulator';
import {
  RoleAssumer,
  STS_CONNECTION_TIMEOUT_MS,
  STS_MAX_ATTEMPTS,
  STS_REQUEST_TIMEOUT_MS,
  checkAssumedIdentity,
  stsClientConfig,
} from '../../lambda-shim/assume-role';
import type { RoleToAssume } from '../../lambda-shim/config';
import { BedrockHubError, BedrockHubErrorLayer } from '../../lambda-shim/errors';

const TARGET: RoleToAssume = {
  kind: 'hub',
  roleArn: HUB_ROLE_ARN,
  account: '111122223333',
  partition: 'aws',
  externalId: EXTERNAL_ID,
  sessionName: 'orders-fn',
  durationSeconds: 3600,
  stsRegion: 'us-east-1',
};
/** The workload function's session, as STS names it in its AccessDenied messages. */
const CALLER_ARN = `arn:aws:sts::${WORKLOAD}:assumed-role/orders-fn-role/orders-fn`;

let hub: EmulatedHub;
const savedEnv = { ...process.env };

beforeEach(async () => {
  hub = await startEmulatedHub();
});

afterEach(async () => {
  process.env = { ...savedEnv };
  await stopEmulatedHub(hub);
});

/**
 * A RoleAssumer for `role` (default: the hub role), on the emulator's STS, signed with the
 * function's own credentials. Waits between throttled attempts only move its clock.
 */
function assumer(role: Partial<RoleToAssume> = {}, waits: number[] = []): RoleAssumer {
  let now = Date.parse('2026-11-30T12:00:00Z');
  return new RoleAssumer({ ...TARGET, stsEndpoint: hub.endpoint, ...role }, {
    masterCredentials: hub.master,
    clock: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
    random: () => 0.999,
  });
}

/** Runs AssumeRole and returns the error it fails with. */
async function failure(roleAssumer: RoleAssumer): Promise<BedrockHubError> {
  const started = Date.now();
  try {
    await roleAssumer.assume();
  } catch (error) {
    expect(error).toBeInstanceOf(BedrockHubError);
    (error as { elapsedMs?: number }).elapsedMs = Date.now() - started;
    return error as BedrockHubError;
  } finally {
    roleAssumer.destroy();
  }
  throw new Error('expected AssumeRole to fail');
}

/** Replaces the workload execution role's policy by one allowing only `actions`. */
function workloadMayOnly(...actions: string[]): void {
  hub.emulator.putRole({
    accountId: WORKLOAD,
    roleName: 'orders-fn-role',
    trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    policies: [{ name: 'assume', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: HUB_ROLE_ARN }] } }],
  });
}

/** Replaces the hub role's trust policy by one allowing only `tagging` besides sts:AssumeRole. */
function hubTrustsOnly(...tagging: string[]): void {
  hub.emulator.putRole({ accountId: '111122223333', roleName: 'BedrockHubRole', trustPolicy: hubTrust(true, tagging) });
}

/** Makes STS answer AssumeRole with this error, as AWS words it (for answers the policy engine does not give). */
function stsAnswers(code: string, message: string, status = 400): ActiveFault {
  return hub.emulator.faults.inject({ service: 'sts', operation: 'AssumeRole', kind: 'error', code, message, status });
}

function injectSts(fault: FaultKind, times?: number): ActiveFault {
  return hub.emulator.faults.inject({ ...fault, service: 'sts', operation: 'AssumeRole', times });
}

/** Clears every endpoint setting from process.env, so only what a test sets applies. */
function clearEndpointSettings(): void {
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('AWS_ENDPOINT_URL') || name === 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS' || name === 'AWS_STS_REGIONAL_ENDPOINTS') {
      delete process.env[name];
    }
  }
  process.env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/aws-credentials';
}

describe('AssumeRole over the wire', () => {
  test('sends the role, session name, duration and ExternalId, signed with the master credentials', async () => {
    // GIVEN
    const roleAssumer = assumer();

    // WHEN
    const credentials = await roleAssumer.assume();
    roleAssumer.destroy();

    // THEN STS verified the signature of the function's own key and the trust policy's ExternalId condition
    const [call] = assumeRoleCalls(hub.emulator);
    expect(call.userIdentity).toMatchObject({ accessKeyId: hub.master.accessKeyId, arn: CALLER_ARN });
    expect(call.requestParameters).toEqual({ roleArn: HUB_ROLE_ARN, roleSessionName: 'orders-fn', durationSeconds: 3600, externalId: REDACTED });
    const issued = hub.emulator.credentials.lookup(credentials.accessKeyId)!;
    expect(credentials).toEqual({
      accessKeyId: issued.accessKeyId,
      secretAccessKey: issued.secretAccessKey,
      sessionToken: issued.sessionToken,
      expiration: new Date(hub.clock.now() + 3600_000),
      assumedRoleArn: 'arn:aws:sts::111122223333:assumed-role/BedrockHubRole/orders-fn',
      account: '111122223333',
      sessionName: 'orders-fn',
    });
    expect(issued.principal).toMatchObject({ roleArn: HUB_ROLE_ARN });
  });

  test('session tags and SourceIdentity are sent as given; none when not configured', async () => {
    const tagged = assumer({ tags: [{ Key: 'team', Value: 'orders' }, { Key: 'lambda-function', Value: 'orders-fn' }], sourceIdentity: 'orders-service' });
    await tagged.assume();
    tagged.destroy();
    const plain = assumer();
    await plain.assume();
    plain.destroy();

    const [withTags, without] = assumeRoleCalls(hub.emulator).map((e) => e.requestParameters!);
    expect(withTags.tags).toEqual([{ key: 'team', value: 'orders' }, { key: 'lambda-function', value: 'orders-fn' }]);
    expect(withTags.sourceIdentity).toBe('orders-service');
    expect(Object.keys(without).filter((k) => k === 'tags' || k === 'sourceIdentity')).toEqual([]);
  });

  // One row per way STS refuses the attribution: how STS comes to refuse, what the text must say.
  // STS names the refused action but not the policy, so whichever side refuses sts:TagSession the
  // message ends with STS's bare line (no side claimed) and the hint names both sides.
  const TAG_SESSION_REFUSED = new RegExp(
    `sent the session tags team \\(from .*\\) and a SourceIdentity \\(from BEDROCK_ASSUME_ROLE_SOURCE_IDENTITY\\), and ${CALLER_ARN} may not sts:TagSession on it\\. ` +
    `STS said: User: ${CALLER_ARN} is not authorized to perform: sts:TagSession on resource: ${HUB_ROLE_ARN} ` +
    'Allow sts:TagSession on both sides: in the execution role\'s identity-based policy.*AND in the trust policy of');
  const attribution: [string, () => void, RegExp][] = [
    ['sts:TagSession, identity-based policy', () => workloadMayOnly('sts:AssumeRole', 'sts:SetSourceIdentity'), TAG_SESSION_REFUSED],
    ['sts:TagSession, trust policy', () => hubTrustsOnly('sts:SetSourceIdentity'), TAG_SESSION_REFUSED],
    ['sts:SetSourceIdentity, policy not named',
      () => stsAnswers('AccessDenied', `User: ${CALLER_ARN} is not authorized to perform: sts:SetSourceIdentity on resource: ${HUB_ROLE_ARN}`, 403),
      /sent the session tags team \(from .*\) and a SourceIdentity \(from BEDROCK_ASSUME_ROLE_SOURCE_IDENTITY\), and .* may not sts:SetSourceIdentity on it\. STS said.*Allow sts:SetSourceIdentity on both sides/],
    ['PackedPolicyTooLarge', () => stsAnswers('PackedPolicyTooLarge', 'Packed policy consumes 112% of allotted space, please use smaller policy for session.'),
      /packed session too large.*112%.*send fewer tags, or shorter keys and values/],
    ['InvalidParameterValue (duplicate tag keys)', () => stsAnswers('InvalidParameterValue', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.'),
      /STS rejected the session tags team .*\(InvalidParameterValue\).*Duplicate tag keys.*Fix BEDROCK_ASSUME_ROLE_SESSION_TAGS/],
  ];
  test.each(attribution)('attribution refused: %s', async (_, refuse, message) => {
    refuse();
    const error = await failure(assumer({ tags: [{ Key: 'team', Value: 'orders' }], sourceIdentity: 'orders-service' }));

    expect(error.layer).toBe('attribution');
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(EXTERNAL_ID);
  });

  test('no ExternalId configured: none is sent', async () => {
    const roleAssumer = assumer({ roleArn: AGENTS_ROLE_ARN, account: '333344445555', externalId: undefined });
    await roleAssumer.assume();
    roleAssumer.destroy();
    expect(assumeRoleCalls(hub.emulator)[0].requestParameters).not.toHaveProperty('externalId');
  });

  test('without masterCredentials, the default chain (the function\'s own credentials) signs AssumeRole', async () => {
    // GIVEN the credentials Lambda puts in the environment
    clearEndpointSettings();
    process.env.AWS_ACCESS_KEY_ID = hub.master.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = hub.master.secretAccessKey;
    process.env.AWS_SESSION_TOKEN = hub.master.sessionToken;
    delete process.env.AWS_PROFILE;
    const roleAssumer = new RoleAssumer({ ...TARGET, stsEndpoint: hub.endpoint });

    // WHEN
    await roleAssumer.assume();
    roleAssumer.destroy();

    // THEN
    expect(assumeRoleCalls(hub.emulator)[0].userIdentity.accessKeyId).toBe(hub.master.accessKeyId);
  });

  test('identity check: a session in another account than the role\'s is refused', async () => {
    injectSts({ kind: 'assumed-role-account', accountId: '999988887777' });
    const error = await failure(assumer());

    expect(error.layer).toBe('identity-mismatch');
    expect(error.message).toMatch(/session in account 999988887777 .* not in the role's account 111122223333/);
  });

  // One row per way STS can fail: how it comes to fail, the layer, and the STS requests made.
  const failures: [string, () => ActiveFault | void, Partial<RoleToAssume>, BedrockHubErrorLayer, number][] = [
    // Across accounts STS names no policy, whichever side denies: the bare line, layer assume-role-denied.
    ['AccessDenied (execution role\'s identity-based policy)', () => workloadMayOnly('sts:TagSession'), {}, 'assume-role-denied', 1],
    ['AccessDenied (trust policy\'s sts:ExternalId condition)', () => undefined, { externalId: 'not-the-hub-external-id' }, 'assume-role-denied', 1],
    // The wording the IAM User Guide documents, when STS does name the role trust policy.
    ['AccessDenied (role trust policy named)',
      () => stsAnswers('AccessDenied',
        `User: ${CALLER_ARN} is not authorized to perform: sts:AssumeRole on resource: ${HUB_ROLE_ARN} because no role trust policy allows the sts:AssumeRole action`, 403),
      {}, 'trust-policy', 1],
    ['ValidationError (role chaining)', () => undefined, { durationSeconds: 7200 }, 'session-duration', 1],
    ['connection dropped (retried once)', () => injectSts({ kind: 'reset' }), {}, 'sts-unreachable', STS_MAX_ATTEMPTS],
  ];
  test.each(failures)('%s', async (_, fail, role, layer, attempts) => {
    const fault = fail();
    const error = await failure(assumer(role));

    expect(error.layer).toBe(layer);
    expect(error.cause).toBeDefined();
    expect(fault ? fault.hits : assumeRoleCalls(hub.emulator).length).toBe(attempts);
  });
});

describe('throttling: retried with backoff and full jitter, within the budget', () => {
  test('throttled until the budget is spent: sts-throttled, after waits that double up to what is left', async () => {
    const throttle = injectSts({ kind: 'throttle' });
    const waits: number[] = [];
    const roleAssumer = assumer({}, waits);
    let error: unknown;
    try {
      await roleAssumer.assume(30_000);
    } catch (e) {
      error = e;
    } finally {
      roleAssumer.destroy();
    }

    expect(error).toMatchObject({ layer: 'sts-throttled' });
    // random 0.999 of ceilings 4 s, then 8 s (the cap) three times; then of what is left of the 30 s
    // but one attempt's 250 ms; then less than two attempts' time is left.
    expect(waits).toEqual([3_996, 7_992, 7_992, 7_992, 1_776]);
    // The SDK's own retries are off: one request per attempt.
    expect(throttle.hits).toBe(waits.length + 1);
  });

  test('a call that starts while a run of throttles goes on (after a prefetch gave up) shares its default budget: one attempt, not a new 10 s', async () => {
    const throttle = injectSts({ kind: 'throttle' });
    const waits: number[] = [];
    const roleAssumer = assumer({}, waits);
    try {
      // GIVEN a first call that spent the 10 s default budget on throttles
      await expect(roleAssumer.assume()).rejects.toMatchObject({ layer: 'sts-throttled' });
      const first = { hits: throttle.hits, waited: waits.reduce((a, b) => a + b, 0) };
      expect(first.waited).toBeGreaterThan(9_000);

      // WHEN another call starts right after it
      await expect(roleAssumer.assume()).rejects.toMatchObject({ layer: 'sts-throttled' });

      // THEN it made its one attempt and waited no more
      expect(throttle.hits).toBe(first.hits + 1);
      expect(waits.reduce((a, b) => a + b, 0)).toBe(first.waited);
    } finally {
      roleAssumer.destroy();
    }
  });

  test('throttled twice, then answered: the call succeeds', async () => {
    const throttle = injectSts({ kind: 'throttle' }, 2);
    const waits: number[] = [];
    const roleAssumer = assumer({}, waits);
    try {
      const credentials = await roleAssumer.assume(30_000);
      expect(credentials.account).toBe('111122223333');
    } finally {
      roleAssumer.destroy();
    }
    expect(throttle.hits).toBe(2);
    expect(waits).toEqual([3_996, 7_992]);
  });
});

describe('STS region failover', () => {
  test('the first region answering 503: the next one answers, and the failed one is skipped while remembered', async () => {
    // GIVEN STS in us-east-1 down, us-west-2 up
    const down = hub.emulator.faults.inject({ service: 'sts', region: 'us-east-1', kind: 'server-error', status: 503 });
    const roleAssumer = assumer({ stsRegions: ['us-east-1', 'us-west-2'] });
    try {
      // WHEN
      const first = await roleAssumer.assume();
      const second = await roleAssumer.assume();

      // THEN
      expect([first.account, second.account]).toEqual(['111122223333', '111122223333']);
      expect(down.hits).toBe(1);
      // The 503 of us-east-1, then two answers from us-west-2: the failed region was not asked again.
      expect(assumeRoleCalls(hub.emulator).map((e) => e.awsRegion)).toEqual(['us-east-1', 'us-west-2', 'us-west-2']);
    } finally {
      roleAssumer.destroy();
    }
  });

  test('every region down: the error names the last region tried', async () => {
    hub.emulator.faults.inject({ service: 'sts', kind: 'server-error', status: 503 });
    const error = await failure(assumer({ stsRegions: ['us-east-1', 'us-west-2'] }));
    expect(error.layer).toBe('sts');
    expect(error.message).toMatch(/failed in us-west-2/);
  });
});

describe('STS unreachable fails fast', () => {
  const measured: Record<string, number> = {};
  afterAll(() => {
    // Not asserted (shared, noisy machines); printed so the numbers can be reported.
    // eslint-disable-next-line no-console
    console.log(`STS unreachable, time to BedrockHubError: ${JSON.stringify(measured)} ms ` +
      `(connectionTimeout ${STS_CONNECTION_TIMEOUT_MS} ms, requestTimeout ${STS_REQUEST_TIMEOUT_MS} ms, maxAttempts ${STS_MAX_ATTEMPTS})`);
  });

  test('connection refused', async () => {
    await hub.emulator.refuseConnections();
    const error = await failure(assumer());

    expect(error.layer).toBe('sts-unreachable');
    expect(error.message).toMatch(/ECONNREFUSED.*STS interface VPC endpoint \(com\.amazonaws\.us-east-1\.sts\)/);
    measured.refused = (error as { elapsedMs?: number }).elapsedMs!;
  });

  test('connected, but STS never answers (a black hole)', async () => {
    const hang = injectSts({ kind: 'hang' });
    const error = await failure(assumer());

    expect(error.layer).toBe('sts-unreachable');
    expect(error.message).toMatch(/ETIMEDOUT|TimeoutError/);
    expect(hang.hits).toBe(STS_MAX_ATTEMPTS);
    measured.hang = (error as { elapsedMs?: number }).elapsedMs!;
  });
});

describe('the STS client', () => {
  /** Where a client built from stsClientConfig would send AssumeRole (captured, not sent). */
  async function stsUrl(target: RoleToAssume): Promise<string> {
    const sts = new STSClient(stsClientConfig(target, { masterCredentials: hub.master }));
    let url = '';
    sts.middlewareStack.add((_next) => async (args) => {
      const request = args.request as { protocol: string; hostname: string; port?: number };
      url = `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}`;
      throw new Error('captured');
    }, { step: 'build' });
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toThrow('captured');
    sts.destroy();
    return url;
  }

  test.each([
    ['us-east-1', 'https://sts.us-east-1.amazonaws.com'],
    ['eu-central-1', 'https://sts.eu-central-1.amazonaws.com'],
    ['cn-north-1', 'https://sts.cn-north-1.amazonaws.com.cn'],
  ])('is regional: %s → %s, never the global sts.amazonaws.com', async (region, url) => {
    clearEndpointSettings();
    process.env.AWS_STS_REGIONAL_ENDPOINTS = 'legacy';
    expect(await stsUrl({ ...TARGET, stsRegion: region })).toBe(url);
  });

  test('honours AWS_ENDPOINT_URL_STS before AWS_ENDPOINT_URL (resolved by the SDK from process.env)', async () => {
    clearEndpointSettings();
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:1';
    expect(await stsUrl(TARGET)).toBe('http://127.0.0.1:1');
    process.env.AWS_ENDPOINT_URL_STS = 'http://127.0.0.1:2';
    expect(await stsUrl(TARGET)).toBe('http://127.0.0.1:2');
    process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = 'true';
    expect(await stsUrl(TARGET)).toBe('https://sts.us-east-1.amazonaws.com');
  });

  test('an endpoint from an injected environment is passed explicitly', async () => {
    clearEndpointSettings();
    expect(await stsUrl({ ...TARGET, stsEndpoint: 'http://127.0.0.1:3' })).toBe('http://127.0.0.1:3');
  });

  test('is explicit about region, credentials, timeouts and retries', () => {
    expect(stsClientConfig(TARGET, { masterCredentials: hub.master })).toMatchObject({
      region: 'us-east-1',
      useGlobalEndpoint: false,
      credentials: hub.master,
      maxAttempts: 1,
      requestHandler: { connectionTimeout: STS_CONNECTION_TIMEOUT_MS, requestTimeout: STS_REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
    });
    expect(STS_CONNECTION_TIMEOUT_MS).toBeLessThanOrEqual(2_000);
    expect(STS_REQUEST_TIMEOUT_MS).toBeLessThanOrEqual(5_000);
  });
});

describe('checkAssumedIdentity', () => {
  test.each([
    ['arn:aws:sts::111122223333:assumed-role/BedrockHubRole/orders-fn', undefined],
    ['arn:aws-cn:sts::111122223333:assumed-role/BedrockHubRole/a@b.c', undefined],
    ['arn:aws:sts::999988887777:assumed-role/BedrockHubRole/orders-fn', /account 999988887777/],
    ['arn:aws:iam::111122223333:user/alice', /not an assumed-role ARN/],
    [undefined, /not an assumed-role ARN/],
  ])('%s', (arn, problem) => {
    const check = () => checkAssumedIdentity(arn, TARGET);
    if (problem) {
      expect(check).toThrow(problem);
    } else {
      expect(check()).toMatchObject({ account: '111122223333', assumedRoleArn: arn });
    }
  });
});
