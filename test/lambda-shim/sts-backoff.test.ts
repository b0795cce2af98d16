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
    expect([1, 2, 3, 4].map((n) => backoffCeilingMs(n))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffCeilingMs(7)).toBe(THROTTLE_MAX_DELAY_MS);
    expect(backoffCeilingMs(60)).toBe(THROTTLE_MAX_DELAY_MS);
    expect(backoffCeilingMs(3, { baseDelayMs: 100, maxDelayMs: 300 })).toBe(300);
  });
});

describe('throttleRetryDecision', () => {
  test('full jitter: the delay is random × the ceiling, from 0 up to (not including) it', () => {
    const state = { attempt: 3, elapsedMs: 0, budgetMs: 60_000 };
    expect(throttleRetryDecision({ ...state, random: () => 0 })).toEqual({ retry: true, delayMs: 0 });
    expect(throttleRetryDecision({ ...state, random: () => 0.5 })).toEqual({ retry: true, delayMs: 1000 });
    expect(throttleRetryDecision({ ...state, random: () => 0.999 })).toEqual({ retry: true, delayMs: 1998 });
  });

  test('a delay is shortened to leave one attempt\'s time in the budget', () => {
    expect(throttleRetryDecision({ attempt: 6, elapsedMs: 9_000, budgetMs: 10_000, random: () => 0.9 }))
      .toEqual({ retry: true, delayMs: 1_000 - MIN_ATTEMPT_MS });
  });

  test('gives up when less than one attempt\'s time is left', () => {
    expect(throttleRetryDecision({ attempt: 2, elapsedMs: 10_000 - MIN_ATTEMPT_MS + 1, budgetMs: 10_000, random: () => 0 }))
      .toEqual({ retry: false, reason: 'budget-spent' });
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

  test('retries throttles with growing jittered waits until the call succeeds', async () => {
    const { clock, sleeps, sleep } = harness();
    let calls = 0;
    const result = await retryThrottled(async () => {
      calls++;
      if (calls < 4) throw throttle();
      return 'credentials';
    }, { isThrottled, clock: clock.now, sleep, random: () => 0.5, budgetMs: 30_000 });
    expect(result).toBe('credentials');
    expect(sleeps).toEqual([THROTTLE_BASE_DELAY_MS / 2, THROTTLE_BASE_DELAY_MS, THROTTLE_BASE_DELAY_MS * 2]);
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
    expect(spent).toBeGreaterThan(6_000 - LAMBDA_SAFETY_MARGIN_MS - MIN_ATTEMPT_MS - 100);
  });

  test('other errors are thrown at once', async () => {
    const { clock, sleeps, sleep } = harness();
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDenied' });
    await expect(retryThrottled(async () => { throw denied; }, { isThrottled, clock: clock.now, sleep })).rejects.toBe(denied);
    expect(sleeps).toEqual([]);
  });
});
