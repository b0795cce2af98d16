import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AssumeRoleFailure, EXTERNAL_ID, HUB_ROLE_ARN, LOCAL_CREDENTIALS, LoopbackAws, ManualClock, refusedEndpoint, tagsOf } from './loopback-aws';
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

let server: LoopbackAws;
let clock: ManualClock;
const savedEnv = { ...process.env };

beforeEach(async () => {
  clock = new ManualClock();
  server = await LoopbackAws.start({ clock: clock.read });
});

afterEach(async () => {
  process.env = { ...savedEnv };
  await server.stop();
});

/** Runs AssumeRole for `target` and returns the error it fails with. */
async function failure(assumer: RoleAssumer): Promise<BedrockHubError> {
  const started = Date.now();
  try {
    await assumer.assume();
  } catch (error) {
    expect(error).toBeInstanceOf(BedrockHubError);
    (error as { elapsedMs?: number }).elapsedMs = Date.now() - started;
    return error as BedrockHubError;
  } finally {
    assumer.destroy();
  }
  throw new Error('expected AssumeRole to fail');
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
    const assumer = new RoleAssumer({ ...TARGET, stsEndpoint: server.endpoint }, { masterCredentials: LOCAL_CREDENTIALS });

    // WHEN
    const credentials = await assumer.assume();
    assumer.destroy();

    // THEN
    const [request] = server.only('AssumeRole');
    expect(request).toMatchObject({
      auth: 'sigv4',
      accessKeyId: LOCAL_CREDENTIALS.accessKeyId,
      params: { RoleArn: HUB_ROLE_ARN, RoleSessionName: 'orders-fn', DurationSeconds: '3600', ExternalId: EXTERNAL_ID },
    });
    expect(credentials).toEqual({
      accessKeyId: server.issued[0].accessKeyId,
      secretAccessKey: server.issued[0].secretAccessKey,
      sessionToken: server.issued[0].sessionToken,
      expiration: new Date(clock.now + 3600_000),
      assumedRoleArn: 'arn:aws:sts::111122223333:assumed-role/BedrockHubRole/orders-fn',
      account: '111122223333',
      sessionName: 'orders-fn',
    });
  });

  test('session tags and SourceIdentity are sent as given; none when not configured', async () => {
    const tagged = new RoleAssumer({
      ...TARGET,
      stsEndpoint: server.endpoint,
      tags: [{ Key: 'team', Value: 'orders' }, { Key: 'lambda-function', Value: 'orders-fn' }],
      sourceIdentity: 'orders-service',
    }, { masterCredentials: LOCAL_CREDENTIALS });
    await tagged.assume();
    tagged.destroy();
    const plain = new RoleAssumer({ ...TARGET, stsEndpoint: server.endpoint }, { masterCredentials: LOCAL_CREDENTIALS });
    await plain.assume();
    plain.destroy();

    const [withTags, without] = server.only('AssumeRole');
    expect(tagsOf(withTags)).toEqual({ 'team': 'orders', 'lambda-function': 'orders-fn' });
    expect(withTags.params.SourceIdentity).toBe('orders-service');
    expect(Object.keys(without.params).filter((k) => k.startsWith('Tags') || k === 'SourceIdentity')).toEqual([]);
  });

  // One row per way STS refuses the attribution: the loopback's answer, the layer, what the text must say.
  const attribution: [string, AssumeRoleFailure, RegExp][] = [
    ['sts:TagSession, identity-based policy', { kind: 'attribution-denied', action: 'sts:TagSession', variant: 'identity-policy' },
      /may not sts:TagSession on it\. STS blames the caller's side\..*Allow sts:TagSession on both sides.*identity-based policy.*AND in the trust policy/],
    ['sts:TagSession, trust policy', { kind: 'attribution-denied', action: 'sts:TagSession', variant: 'trust-policy' }, /STS blames the trust policy/],
    ['sts:SetSourceIdentity, policy not named', { kind: 'attribution-denied', action: 'sts:SetSourceIdentity', variant: 'unspecified' },
      /sent the session tags team \(from .*\) and a SourceIdentity \(from BEDROCK_ASSUME_ROLE_SOURCE_IDENTITY\), and .* may not sts:SetSourceIdentity on it\. STS said.*Allow sts:SetSourceIdentity on both sides/],
    ['PackedPolicyTooLarge', { kind: 'packed-policy-too-large' }, /packed session too large.*112%.*send fewer tags, or shorter keys and values/],
    ['InvalidParameterValue (duplicate tag keys)', { kind: 'invalid-tags' }, /STS rejected the session tags team .*\(InvalidParameterValue\).*Duplicate tag keys.*Fix BEDROCK_ASSUME_ROLE_SESSION_TAGS/],
  ];
  test.each(attribution)('attribution refused: %s', async (_, kind, message) => {
    server.assumeRoleFailure = kind;
    const error = await failure(new RoleAssumer({
      ...TARGET, stsEndpoint: server.endpoint, tags: [{ Key: 'team', Value: 'orders' }], sourceIdentity: 'orders-service',
    }, { masterCredentials: LOCAL_CREDENTIALS }));

    expect(error.layer).toBe('attribution');
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(EXTERNAL_ID);
  });

  test('no ExternalId configured: none is sent', async () => {
    const assumer = new RoleAssumer({ ...TARGET, externalId: undefined, stsEndpoint: server.endpoint }, { masterCredentials: LOCAL_CREDENTIALS });
    await assumer.assume();
    assumer.destroy();
    expect(server.only('AssumeRole')[0].params).not.toHaveProperty('ExternalId');
  });

  test('without masterCredentials, the default chain (the function\'s own credentials) signs AssumeRole', async () => {
    // GIVEN the credentials Lambda puts in the environment
    clearEndpointSettings();
    process.env.AWS_ACCESS_KEY_ID = 'AKIAFROMENVIRONMENT1';
    process.env.AWS_SECRET_ACCESS_KEY = 'env-secret';
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    const assumer = new RoleAssumer({ ...TARGET, stsEndpoint: server.endpoint });

    // WHEN
    await assumer.assume();
    assumer.destroy();

    // THEN
    expect(server.only('AssumeRole')[0].accessKeyId).toBe('AKIAFROMENVIRONMENT1');
  });

  test('identity check: a session in another account than the role\'s is refused', async () => {
    server.assumedAccount = '999988887777';
    const error = await failure(new RoleAssumer({ ...TARGET, stsEndpoint: server.endpoint }, { masterCredentials: LOCAL_CREDENTIALS }));

    expect(error.layer).toBe('identity-mismatch');
    expect(error.message).toMatch(/session in account 999988887777 .* not in the role's account 111122223333/);
  });

  // One row per way STS can fail: what the loopback does, the layer, and the STS requests made.
  const failures: [string, AssumeRoleFailure, BedrockHubErrorLayer, number][] = [
    ['AccessDenied (identity-based policy)', { kind: 'access-denied', variant: 'identity-policy' }, 'caller-policy', 1],
    ['AccessDenied (trust policy)', { kind: 'access-denied', variant: 'trust-policy' }, 'trust-policy', 1],
    ['AccessDenied (policy not named)', { kind: 'access-denied', variant: 'unspecified' }, 'assume-role-denied', 1],
    ['ValidationError (role chaining)', { kind: 'duration-role-chaining' }, 'session-duration', 1],
    ['Throttling (retried once)', { kind: 'throttling' }, 'sts-throttled', STS_MAX_ATTEMPTS],
    ['connection dropped (retried once)', { kind: 'reset' }, 'sts-unreachable', STS_MAX_ATTEMPTS],
  ];
  test.each(failures)('%s', async (_, kind, layer, attempts) => {
    server.assumeRoleFailure = kind;
    const error = await failure(new RoleAssumer({ ...TARGET, stsEndpoint: server.endpoint }, { masterCredentials: LOCAL_CREDENTIALS }));

    expect(error.layer).toBe(layer);
    expect(error.cause).toBeDefined();
    expect(server.count('AssumeRole')).toBe(attempts);
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
    const endpoint = await refusedEndpoint();
    const error = await failure(new RoleAssumer({ ...TARGET, stsEndpoint: endpoint }, { masterCredentials: LOCAL_CREDENTIALS }));

    expect(error.layer).toBe('sts-unreachable');
    expect(error.message).toMatch(/ECONNREFUSED.*STS interface VPC endpoint \(com\.amazonaws\.us-east-1\.sts\)/);
    measured.refused = (error as { elapsedMs?: number }).elapsedMs!;
  });

  test('connected, but STS never answers (a black hole)', async () => {
    server.assumeRoleFailure = { kind: 'hang' };
    const error = await failure(new RoleAssumer({ ...TARGET, stsEndpoint: server.endpoint }, { masterCredentials: LOCAL_CREDENTIALS }));

    expect(error.layer).toBe('sts-unreachable');
    expect(error.message).toMatch(/ETIMEDOUT|TimeoutError/);
    expect(server.count('AssumeRole')).toBe(STS_MAX_ATTEMPTS);
    measured.hang = (error as { elapsedMs?: number }).elapsedMs!;
  });
});

describe('the STS client', () => {
  /** Where a client built from stsClientConfig would send AssumeRole (captured, not sent). */
  async function stsUrl(target: RoleToAssume): Promise<string> {
    const sts = new STSClient(stsClientConfig(target, { masterCredentials: LOCAL_CREDENTIALS }));
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
    expect(stsClientConfig(TARGET, { masterCredentials: LOCAL_CREDENTIALS })).toMatchObject({
      region: 'us-east-1',
      useGlobalEndpoint: false,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: STS_MAX_ATTEMPTS,
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
