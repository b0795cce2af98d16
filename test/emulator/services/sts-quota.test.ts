import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsEmulator, IssuedCredentials, ManualClock } from '../../../emulator';
import { StsRequestQuota, stsQuotaAccount, TokenBucket, validateStsQuota } from '../../../emulator/services/sts-quota';
import { clientConfig, errorOf, EXTERNAL_ID, HUB, HUB_ROLE_ARN, startHubAndWorkload, stopChecked, WORKLOAD } from '../fixtures';

describe('TokenBucket', () => {
  test('starts full, admits a burst, then refills at the rate up to the burst', () => {
    const bucket = new TokenBucket(2, 3, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
    expect(bucket.take(499)).toBe(false); // 0.998 tokens
    expect(bucket.take(500)).toBe(true); // one token after half a second at 2/s
    expect(bucket.take(500)).toBe(false);
    // A long pause refills to the burst, no further.
    expect([0, 1, 2, 3].map(() => bucket.take(60_000))).toEqual([true, true, true, false]);
  });

  test('a clock that goes back takes nothing away and adds nothing', () => {
    const bucket = new TokenBucket(1, 1, 1000);
    expect(bucket.take(1000)).toBe(true);
    expect(bucket.take(0)).toBe(false);
    expect(bucket.take(1999)).toBe(false);
    expect(bucket.take(2000)).toBe(true);
  });
});

describe('StsRequestQuota', () => {
  test('keeps one bucket per account', () => {
    let now = 0;
    const quota = new StsRequestQuota({ ratePerSecond: 1 }, () => now);
    expect([quota.admit(HUB), quota.admit(HUB), quota.admit(WORKLOAD)]).toEqual([true, false, true]);
    now = 1000;
    expect(quota.admit(HUB)).toBe(true);
  });

  test.each([
    [{ ratePerSecond: 0 }, 'stsQuota.ratePerSecond must be a positive number, got 0'],
    [{ ratePerSecond: Number.NaN }, 'stsQuota.ratePerSecond must be a positive number, got NaN'],
    [{ ratePerSecond: 5, burst: 0.5 }, 'stsQuota.burst must be a number of at least 1, got 0.5'],
  ])('refuses %j, naming the field', (options, message) => {
    expect(() => validateStsQuota(options)).toThrow(message);
  });

  test('AssumeRole counts against the role\'s account, other operations against the caller\'s', () => {
    const body = new URLSearchParams({ Action: 'AssumeRole', RoleArn: HUB_ROLE_ARN, RoleSessionName: 'fn' }).toString();
    expect(stsQuotaAccount('AssumeRole', body, '', WORKLOAD)).toBe(HUB);
    expect(stsQuotaAccount('AssumeRole', '', `Action=AssumeRole&RoleArn=${encodeURIComponent(HUB_ROLE_ARN)}`, WORKLOAD)).toBe(HUB);
    expect(stsQuotaAccount('AssumeRole', 'Action=AssumeRole&RoleArn=nonsense', '', WORKLOAD)).toBe(WORKLOAD);
    expect(stsQuotaAccount('GetCallerIdentity', body, '', WORKLOAD)).toBe(WORKLOAD);
  });
});

describe('an emulator with an STS quota', () => {
  let emulator: AwsEmulator;
  let clock: ManualClock;
  let lambda: IssuedCredentials;

  beforeEach(async () => {
    ({ emulator, clock } = await startHubAndWorkload());
    lambda = await emulator.lambdaCredentials('Handler');
  });

  afterEach(() => stopChecked(emulator));

  const assume = (): Promise<unknown> => new STSClient(clientConfig(emulator, lambda))
    .send(new AssumeRoleCommand({ RoleArn: HUB_ROLE_ARN, RoleSessionName: 'fn', ExternalId: EXTERNAL_ID }));

  test('has none by default', async () => {
    const results = await Promise.allSettled(Array.from({ length: 30 }, assume));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
  });

  test('answers beyond the burst as STS does: 400, Sender, Throttling, "Rate exceeded"; refills on the emulator clock', async () => {
    // GIVEN
    emulator.setStsQuota({ ratePerSecond: 2, burst: 3 });

    // WHEN
    const results = await Promise.allSettled(Array.from({ length: 5 }, assume));

    // THEN
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const error = await errorOf(assume());
    expect(error).toMatchObject({ name: 'Throttling', message: 'Rate exceeded', $fault: 'client', $metadata: { httpStatusCode: 400 } });
    const throttled = emulator.cloudTrail.find({ eventName: 'AssumeRole', recipientAccountId: WORKLOAD }).filter((e) => e.errorCode === 'Throttling');
    expect(throttled).toHaveLength(3);
    expect(throttled[0].errorMessage).toBe('Rate exceeded');

    clock.advance(500);
    await expect(assume()).resolves.toBeDefined();
    await expect(errorOf(assume())).resolves.toMatchObject({ name: 'Throttling' });
  });

  test('the raw answer is the query protocol\'s error document', async () => {
    emulator.setStsQuota({ ratePerSecond: 1 });
    const client = new STSClient(clientConfig(emulator, lambda));
    await client.send(new GetCallerIdentityCommand({}));
    const response = await fetchRaw(emulator, client);
    const raw = response.body;
    expect(response.status).toBe(400);
    expect(raw).toContain('<Type>Sender</Type>');
    expect(raw).toContain('<Code>Throttling</Code>');
    expect(raw).toContain('<Message>Rate exceeded</Message>');
  });

  test('setStsQuota(undefined) lifts it', async () => {
    emulator.setStsQuota({ ratePerSecond: 1 });
    await assume();
    await expect(errorOf(assume())).resolves.toMatchObject({ name: 'Throttling' });
    emulator.setStsQuota(undefined);
    await expect(assume()).resolves.toBeDefined();
  });
});

/** Sends a signed GetCallerIdentity and returns the HTTP answer as it came over the wire. */
async function fetchRaw(emulator: AwsEmulator, client: STSClient): Promise<{ status: number; body: string }> {
  let captured: { status: number; body: string } | undefined;
  client.middlewareStack.add((next) => async (args) => {
    const result = await next(args);
    const response = result.response as { statusCode: number; body: NodeJS.ReadableStream };
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) chunks.push(Buffer.from(chunk as Buffer));
    captured = { status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') };
    throw new Error('captured');
  }, { step: 'deserialize', name: 'captureRaw', priority: 'low' });
  await errorOf(client.send(new GetCallerIdentityCommand({})));
  if (!captured) throw new Error(`no answer captured from ${emulator.endpoint}`);
  return captured;
}
