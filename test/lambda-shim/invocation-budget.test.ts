import { ManualClock } from '../../emulator';
import { recordInvocationDeadline, resetInvocationDeadline, throttleRetryBudgetMs } from '../../lambda-shim/invocation-budget';
import { DEFAULT_THROTTLE_BUDGET_MS, LAMBDA_SAFETY_MARGIN_MS } from '../../lambda-shim/sts-backoff';

const remaining = (ms: number) => ({ getRemainingTimeInMillis: () => ms });

afterEach(() => resetInvocationDeadline());

test('without a context handed over, the budget is the bounded default', () => {
  expect(throttleRetryBudgetMs(new ManualClock().now)).toBe(DEFAULT_THROTTLE_BUDGET_MS);
});

test('with a context, the budget runs until the safety margin before the invocation times out', () => {
  // GIVEN an invocation with 30 s left
  const clock = new ManualClock();
  recordInvocationDeadline(remaining(30_000), clock.now);

  // THEN
  expect(throttleRetryBudgetMs(clock.now)).toBe(30_000 - LAMBDA_SAFETY_MARGIN_MS);
  clock.advance(25_000);
  expect(throttleRetryBudgetMs(clock.now)).toBe(5_000 - LAMBDA_SAFETY_MARGIN_MS);
  clock.advance(4_500);
  expect(throttleRetryBudgetMs(clock.now)).toBe(0);
});

test('concurrent invocations: the latest deadline bounds the shared AssumeRole; the next invocation\'s replaces a past one', () => {
  const clock = new ManualClock();
  recordInvocationDeadline(remaining(20_000), clock.now);
  recordInvocationDeadline(remaining(5_000), clock.now);
  expect(throttleRetryBudgetMs(clock.now)).toBe(20_000 - LAMBDA_SAFETY_MARGIN_MS);

  clock.advance(60_000);
  recordInvocationDeadline(remaining(3_000), clock.now);
  expect(throttleRetryBudgetMs(clock.now)).toBe(3_000 - LAMBDA_SAFETY_MARGIN_MS);
});

test('a deadline that has passed leaves nothing to retry in, not a fresh default budget that would outlive the invocation', () => {
  const clock = new ManualClock();
  recordInvocationDeadline(remaining(2_000), clock.now);
  clock.advance(3_000);
  expect(throttleRetryBudgetMs(clock.now)).toBe(0);
});

test('a context without a usable remaining time changes nothing', () => {
  const clock = new ManualClock();
  recordInvocationDeadline({} as never, clock.now);
  recordInvocationDeadline(remaining(Number.NaN), clock.now);
  expect(throttleRetryBudgetMs(clock.now)).toBe(DEFAULT_THROTTLE_BUDGET_MS);
});

test('without a deadline, a run of throttles going on has already spent part of the default; with one, the deadline alone counts', () => {
  const clock = new ManualClock();
  expect(throttleRetryBudgetMs(clock.now, 9_500)).toBe(DEFAULT_THROTTLE_BUDGET_MS - 9_500);
  expect(throttleRetryBudgetMs(clock.now, 12_000)).toBe(0);
  recordInvocationDeadline(remaining(6_000), clock.now);
  expect(throttleRetryBudgetMs(clock.now, 12_000)).toBe(6_000 - LAMBDA_SAFETY_MARGIN_MS);
});
