import { ManualClock } from '../../emulator';
import {
  ADVISORY_RETRY_INTERVAL_MS,
  CredentialCache,
  ExpiringCredentials,
  credentialWindow,
  signingDeadline,
} from '../../lambda-shim/credential-cache';
import { BedrockHubError } from '../../lambda-shim/errors';

const MIN = 60_000;

/** A fake AssumeRole: issues numbered credentials valid for `lifetimeMs`, or fails when told to. */
class FakeSts {
  public calls = 0;
  public failWith: Error | undefined;
  public lifetimeMs = 60 * MIN;
  #release: (() => void) | undefined;
  #gate: Promise<void> | undefined;

  constructor(private readonly clock: ManualClock) {}

  /** Holds every fetch until {@link open} is called. */
  public hold(): void {
    this.#gate = new Promise((resolve) => (this.#release = resolve));
  }

  public open(): void {
    this.#release?.();
    this.#gate = undefined;
  }

  public readonly fetch = async (): Promise<ExpiringCredentials> => {
    this.calls += 1;
    const n = this.calls;
    await this.#gate;
    if (this.failWith) throw this.failWith;
    return { accessKeyId: `KEY${n}`, secretAccessKey: `secret${n}`, sessionToken: `token${n}`, expiration: new Date(this.clock.now() + this.lifetimeMs) };
  };
}

function setup() {
  const clock = new ManualClock();
  const sts = new FakeSts(clock);
  const cache = new CredentialCache(sts.fetch, clock.now);
  return { clock, sts, cache };
}

describe('credentialWindow', () => {
  const t0 = Date.UTC(2030, 0, 1);
  const hour = new Date(t0 + 60 * MIN);
  test.each([
    [60, 'fresh'], [16, 'fresh'], [15.001, 'fresh'], [15, 'advisory'], [12, 'advisory'], [10.001, 'advisory'], [10, 'mandatory'], [0, 'mandatory'], [-5, 'mandatory'],
  ])('one-hour session, %d min left: %s', (left, window) => {
    expect(credentialWindow(hour, t0, hour.getTime() - left * MIN)).toBe(window);
  });

  test('a 15-minute session is fresh for its first half to the mandatory mark, not refreshed on every call', () => {
    const quarter = new Date(t0 + 15 * MIN);
    expect(credentialWindow(quarter, t0, t0)).toBe('fresh');
    expect(credentialWindow(quarter, t0, t0 + 2 * MIN)).toBe('fresh');
    expect(credentialWindow(quarter, t0, t0 + 3 * MIN)).toBe('advisory');
    expect(credentialWindow(quarter, t0, t0 + 5 * MIN)).toBe('mandatory');
  });

  test('the signing deadline is 10 minutes before expiration', () => {
    expect(signingDeadline(hour).getTime()).toBe(hour.getTime() - 10 * MIN);
  });
});

describe('CredentialCache', () => {
  test('single flight: concurrent callers share one fetch', async () => {
    const { sts, cache } = setup();
    sts.hold();

    // WHEN
    const all = Array.from({ length: 100 }, () => cache.get());
    sts.open();
    const results = await Promise.all(all);

    // THEN
    expect(sts.calls).toBe(1);
    expect(new Set(results.map((c) => c.accessKeyId))).toEqual(new Set(['KEY1']));
  });

  test('more than 15 minutes left: cached', async () => {
    const { clock, sts, cache } = setup();
    const first = await cache.get();

    clock.set(first.expiration.getTime() - (15 * MIN + 1));
    expect((await cache.get()).accessKeyId).toBe('KEY1');
    expect(sts.calls).toBe(1);
  });

  test('12 minutes left: refreshed', async () => {
    const { clock, sts, cache } = setup();
    const first = await cache.get();

    clock.set(first.expiration.getTime() - 12 * MIN);
    expect((await cache.get()).accessKeyId).toBe('KEY2');
    expect(sts.calls).toBe(2);
  });

  test('advisory window: a failed refresh keeps the current credentials and STS is asked at most every 30 s', async () => {
    const { clock, sts, cache } = setup();
    const first = await cache.get();
    sts.failWith = new Error('STS is down');

    // WHEN 12 min are left and STS fails
    clock.set(first.expiration.getTime() - 12 * MIN);
    expect((await cache.get()).accessKeyId).toBe('KEY1');
    expect(sts.calls).toBe(2);

    // THEN for the next 30 s nobody asks STS again
    for (let i = 0; i < 10; i++) {
      clock.advance(2_900);
      expect((await cache.get()).accessKeyId).toBe('KEY1');
    }
    expect(sts.calls).toBe(2);

    // AND after 30 s one caller does
    clock.advance(ADVISORY_RETRY_INTERVAL_MS - 29_000);
    expect((await cache.get()).accessKeyId).toBe('KEY1');
    expect(sts.calls).toBe(3);

    // AND once STS answers, the new credentials are used
    sts.failWith = undefined;
    clock.advance(ADVISORY_RETRY_INTERVAL_MS);
    expect((await cache.get()).accessKeyId).toBe('KEY4');
  });

  test('advisory window: callers arriving during the refresh use the current credentials', async () => {
    const { clock, sts, cache } = setup();
    const first = await cache.get();
    clock.set(first.expiration.getTime() - 12 * MIN);
    sts.hold();

    const refreshing = cache.get();
    const meanwhile = await cache.get();
    sts.open();

    expect(meanwhile.accessKeyId).toBe('KEY1');
    expect((await refreshing).accessKeyId).toBe('KEY2');
    expect(sts.calls).toBe(2);
  });

  test('10 minutes or less left and STS failing: the error, never the expiring credentials', async () => {
    const { clock, sts, cache } = setup();
    const first = await cache.get();
    sts.failWith = new Error('STS is down');

    for (const left of [10 * MIN, 9 * MIN, MIN, 0, -MIN]) {
      clock.set(first.expiration.getTime() - left);
      await expect(cache.get()).rejects.toThrow('STS is down');
    }
    // No 30 s pause in the mandatory window: every call tries.
    expect(sts.calls).toBe(6);
  });

  test('advisory failure that lasts into the mandatory window fails', async () => {
    const { clock, sts, cache } = setup();
    const first = await cache.get();
    sts.failWith = new Error('STS is down');
    clock.set(first.expiration.getTime() - 12 * MIN);
    expect((await cache.get()).accessKeyId).toBe('KEY1');

    clock.set(first.expiration.getTime() - (10 * MIN - 1));
    await expect(cache.get()).rejects.toThrow('STS is down');
  });

  test('no credentials yet: every failure is an error, and the next call tries again', async () => {
    const { sts, cache } = setup();
    sts.failWith = new Error('denied');
    await expect(cache.get()).rejects.toThrow('denied');
    await expect(cache.get()).rejects.toThrow('denied');
    sts.failWith = undefined;
    expect((await cache.get()).accessKeyId).toBe('KEY3');
  });

  test('invalidate forgets only the named credentials: many callers with the same expired key cause one refresh', async () => {
    const { sts, cache } = setup();
    await cache.get();

    cache.invalidate('KEY1');
    const second = await cache.get();
    cache.invalidate('KEY1'); // a late caller that saw KEY1 expire
    const third = await cache.get();

    expect(second.accessKeyId).toBe('KEY2');
    expect(third.accessKeyId).toBe('KEY2');
    expect(sts.calls).toBe(2);
  });

  test('credentials that arrive inside the mandatory window are refused (clock skew)', async () => {
    const { sts, cache } = setup();
    sts.lifetimeMs = 9 * MIN;

    const error = await cache.get().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BedrockHubError);
    expect((error as BedrockHubError).message).toMatch(/expire in 9\.0 min .*clock is probably off/);
  });

  test('a fetch that throws synchronously does not wedge the cache', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const cache = new CredentialCache(() => {
      calls += 1;
      if (calls === 1) throw new Error('sync');
      return Promise.resolve({ accessKeyId: 'K', secretAccessKey: 's', sessionToken: 't', expiration: new Date(clock.now() + 60 * MIN) });
    }, clock.now);

    await expect(cache.get()).rejects.toThrow('sync');
    expect((await cache.get()).accessKeyId).toBe('K');
  });
});
