import { ManualClock } from '../../emulator';
import {
  DEFAULT_THROTTLE_BUDGET_MS,
  LAMBDA_SAFETY_MARGIN_MS,
  MIN_ATTEMPT_MS,
  THROTTLE_BASE_DELAY_MS,
  THROTTLE_MAX_DELAY_MS,
  backoffCeilingMs,
  retryThrottled,
  throttleBudgetMs,
  throttleRetryDecision,
} from '../../lambda-shim/sts-backoff';

const throttle = (): Error => Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
const isThrottled = (error: unknown): boolean => (error as Error).name === 'Throttling';

describe('backoffCeilingMs', () => {
  test('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3].map((n) => backoffCeilingMs(n))).toEqual([4_000, 8_000, 8_000]);
    expect(backoffCeilingMs(1)).toBe(THROTTLE_BASE_DELAY_MS);
    expect(backoffCeilingMs(7)).toBe(THROTTLE_MAX_DELAY_MS);
    expect(backoffCeilingMs(60)).toBe(THROTTLE_MAX_DELAY_MS);
    expect(backoffCeilingMs(3, { baseDelayMs: 100, maxDelayMs: 300 })).toBe(300);
  });
});

describe('throttleRetryDecision', () => {
  test('full jitter: the delay is random × the ceiling, from 0 up to (not including) it', () => {
    const state = { attempt: 2, elapsedMs: 0, budgetMs: 60_000 };
    expect(throttleRetryDecision({ ...state, random: () => 0 })).toEqual({ retry: true, delayMs: 0, last: false });
    expect(throttleRetryDecision({ ...state, random: () => 0.5 })).toEqual({ retry: true, delayMs: 4_000, last: false });
    expect(throttleRetryDecision({ ...state, random: () => 0.999 })).toEqual({ retry: true, delayMs: 7_992, last: false });
  });

  test('near the end of the budget the delay is drawn from what is left (one attempt\'s time kept back), not cut to its end, and is the last', () => {
    // 1 s left: the window is 750 ms whatever the ceiling, and the draw lands anywhere in it.
    const late = { attempt: 6, elapsedMs: 9_000, budgetMs: 10_000 };
    expect(throttleRetryDecision({ ...late, random: () => 0.9 })).toEqual({ retry: true, delayMs: 675, last: true });
    expect(throttleRetryDecision({ ...late, random: () => 0.2 })).toEqual({ retry: true, delayMs: 150, last: true });
    // Environments that started together share the deadline: their last waits still differ.
    const draws = new Set([0.1, 0.3, 0.5, 0.7, 0.9].map((r) => (throttleRetryDecision({ ...late, random: () => r }) as { delayMs: number }).delayMs));
    expect(draws.size).toBe(5);
  });

  test('gives up when less than two attempts\' time is left (no room to spread a retry)', () => {
    expect(throttleRetryDecision({ attempt: 2, elapsedMs: 10_000 - 2 * MIN_ATTEMPT_MS + 1, budgetMs: 10_000, random: () => 0 }))
      .toEqual({ retry: false, reason: 'budget-spent' });
    expect(throttleRetryDecision({ attempt: 2, elapsedMs: 10_000 - 2 * MIN_ATTEMPT_MS, budgetMs: 10_000, random: () => 0 }))
      .toEqual({ retry: true, delayMs: 0, last: true });
    expect(throttleRetryDecision({ attempt: 1, elapsedMs: 0, budgetMs: 0 })).toEqual({ retry: false, reason: 'budget-spent' });
  });
});

describe('throttleBudgetMs', () => {
  test('the invocation\'s remaining time minus the safety margin, never negative', () => {
    expect(throttleBudgetMs({ getRemainingTimeInMillis: () => 30_000 })).toBe(30_000 - LAMBDA_SAFETY_MARGIN_MS);
    expect(throttleBudgetMs({ getRemainingTimeInMillis: () => 400 })).toBe(0);
  });

  test('the bounded default without a context (or with a context that says nothing usable)', () => {
    expect(throttleBudgetMs()).toBe(DEFAULT_THROTTLE_BUDGET_MS);
    expect(throttleBudgetMs(undefined, 2_000)).toBe(2_000);
    expect(throttleBudgetMs({ getRemainingTimeInMillis: () => Number.NaN })).toBe(DEFAULT_THROTTLE_BUDGET_MS);
  });
});

describe('retryThrottled', () => {
  function harness(): { clock: ManualClock; sleeps: number[]; sleep: (ms: number) => Promise<void> } {
    const clock = new ManualClock();
    const sleeps: number[] = [];
    return { clock, sleeps, sleep: async (ms) => { sleeps.push(ms); clock.advance(ms); } };
  }

  test('retries throttles with jittered waits that grow to the cap, until the call succeeds', async () => {
    const { clock, sleeps, sleep } = harness();
    let calls = 0;
    const result = await retryThrottled(async () => {
      calls++;
      if (calls < 4) throw throttle();
      return 'credentials';
    }, { isThrottled, clock: clock.now, sleep, random: () => 0.5, budgetMs: 30_000 });
    expect(result).toBe('credentials');
    expect(sleeps).toEqual([THROTTLE_BASE_DELAY_MS / 2, THROTTLE_MAX_DELAY_MS / 2, THROTTLE_MAX_DELAY_MS / 2]);
  });

  test('a budget given as a function is asked again before each retry (a prefetch lent a longer budget goes on)', async () => {
    const { clock, sleeps, sleep } = harness();
    let budgetMs = 1_000;
    let calls = 0;
    const result = await retryThrottled(async () => {
      calls++;
      if (calls === 1) budgetMs = 30_000; // an invocation started waiting during the first attempt
      if (calls < 3) throw throttle();
      return 'credentials';
    }, { isThrottled, clock: clock.now, sleep, random: () => 0.5, budgetMs: () => budgetMs });
    expect(result).toBe('credentials');
    // Under the 1 s budget the first wait could have been 375 ms at most.
    expect(sleeps).toEqual([THROTTLE_BASE_DELAY_MS / 2, THROTTLE_BASE_DELAY_MS]);
  });

  test('throws the last throttle once the Lambda budget is spent, and no later', async () => {
    const { clock, sleeps, sleep } = harness();
    let calls = 0;
    const error = await retryThrottled(async () => {
      calls++;
      clock.advance(100); // each STS answer takes 100 ms
      throw throttle();
    }, { isThrottled, clock: clock.now, sleep, random: () => 0.99, context: { getRemainingTimeInMillis: () => 6_000 } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'Throttling' });
    const spent = sleeps.reduce((a, b) => a + b, 0) + calls * 100;
    expect(spent).toBeLessThanOrEqual(6_000 - LAMBDA_SAFETY_MARGIN_MS);
    expect(spent).toBeGreaterThan(6_000 - LAMBDA_SAFETY_MARGIN_MS - 2 * MIN_ATTEMPT_MS - 100);
  });

  test('after the last retry the budget allowed, a throttle is thrown: no ever shorter retries at the end', async () => {
    const { clock, sleeps, sleep } = harness();
    const options = { isThrottled, clock: clock.now, sleep, random: () => 0.5, budgetMs: 10_000 };
    const error = await retryThrottled(async () => { throw throttle(); }, options).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'Throttling' });
    // 4 s ceiling: 2 s; then 8 s ceiling but 7.75 s of room: 3,875 ms, the last; 4,125 ms of the budget stay unspent
    expect(sleeps).toEqual([2_000, 3_875]);
  });

  test('other errors are thrown at once', async () => {
    const { clock, sleeps, sleep } = harness();
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDenied' });
    await expect(retryThrottled(async () => { throw denied; }, { isThrottled, clock: clock.now, sleep })).rejects.toBe(denied);
    expect(sleeps).toEqual([]);
  });
});
