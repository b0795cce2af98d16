/**
 * Retrying throttled AssumeRole calls: exponential backoff with full jitter, within a time budget.
 *
 * When hundreds of environments cold-start at once, their AssumeRole calls exceed the hub account's
 * STS request quota and STS answers `Throttling: Rate exceeded`. Retrying at once, or after the same
 * delay everywhere, only throttles again. Full jitter spreads the retries: the delay before retry
 * `n` is uniformly random in `[0, min(cap, base × 2^(n-1)))` ("Exponential Backoff And Jitter", AWS
 * Architecture Blog). Base and cap are not the AWS SDK's for throttling (`@smithy/util-retry`:
 * `THROTTLING_RETRY_DELAY_BASE` 500 ms, `MAXIMUM_RETRY_DELAY` 20 s), which suit one long-lived
 * client sending many requests. Here many environments send one AssumeRole each, so a throttle
 * nearly always means a burst of cold starts: short first windows only send the burst back into STS
 * to be throttled again, and windows beyond a few seconds only keep the last environments waiting
 * after the burst has been served. `npm run bench -- burst` (300 environments at once, 50
 * AssumeRole/s): 500 ms base and 20 s cap, ~930 calls; 4 s and 8 s, 559–574 calls, 1.05x the floor
 * (the burst plus its first-wave throttles), every invocation answered within 13 s. The price: a
 * lone throttled call waits 2 s on average.
 *
 * The budget is the time the caller can spend: in Lambda, the invocation's remaining time
 * (`context.getRemainingTimeInMillis()`) minus a safety margin, so the error still reaches the
 * handler before the function times out; without a context, a bounded default. Near the end of the
 * budget the delay is drawn from the time that is left, not cut short to its end (environments
 * that cold-started together share a deadline, and cutting would send their last attempts at the
 * same moment), and that attempt is the last.
 *
 * Everything here is pure but {@link retryThrottled}, whose clock, sleep and random source are
 * injectable.
 */

import type { Clock } from './clock';

/** The first retry waits up to this long (see the module's comment for why it is not the SDK's 500 ms). */
export const THROTTLE_BASE_DELAY_MS = 4_000;
/** No single wait is longer than this (see the module's comment). */
export const THROTTLE_MAX_DELAY_MS = 8_000;
/** The budget when no Lambda context is given. */
export const DEFAULT_THROTTLE_BUDGET_MS = 10_000;
/** Kept back from a Lambda invocation's remaining time, so the handler can still answer. */
export const LAMBDA_SAFETY_MARGIN_MS = 1_000;
/** A retry needs at least this much budget left after its wait to be worth making, and a wait window at least this wide. */
export const MIN_ATTEMPT_MS = 250;

/** The part of a Lambda context the budget is read from. */
export interface RemainingTime {
  /** Milliseconds until the invocation times out. */
  getRemainingTimeInMillis(): number;
}

/** The shape of the backoff. */
export interface BackoffPolicy {
  /** @default THROTTLE_BASE_DELAY_MS */
  readonly baseDelayMs?: number;
  /** @default THROTTLE_MAX_DELAY_MS */
  readonly maxDelayMs?: number;
  /** @default MIN_ATTEMPT_MS */
  readonly minAttemptMs?: number;
}

/**
 * What to do after a throttled attempt: retry after `delayMs` (`last` when the budget, not the
 * ladder, bounded the wait: no retry follows that one), or give up.
 */
export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number; readonly last: boolean }
  | { readonly retry: false; readonly reason: 'budget-spent' };

/** The input of {@link throttleRetryDecision}. */
export interface RetryState {
  /** How many attempts have been made so far (1 after the first throttled call). */
  readonly attempt: number;
  /** Milliseconds since the first attempt started. */
  readonly elapsedMs: number;
  /** Milliseconds the caller may spend in all (see {@link throttleBudgetMs}). */
  readonly budgetMs: number;
  /** A uniform random number in [0, 1). @default Math.random */
  readonly random?: () => number;
}

/**
 * The budget for retrying a throttled AssumeRole: the Lambda invocation's remaining time minus
 * {@link LAMBDA_SAFETY_MARGIN_MS} when a context is given (never below 0), else `defaultMs`.
 */
export function throttleBudgetMs(context?: RemainingTime, defaultMs = DEFAULT_THROTTLE_BUDGET_MS): number {
  if (context && typeof context.getRemainingTimeInMillis === 'function') {
    const remaining = context.getRemainingTimeInMillis();
    if (Number.isFinite(remaining)) return Math.max(0, remaining - LAMBDA_SAFETY_MARGIN_MS);
  }
  return defaultMs;
}

/** The upper bound of the wait before retry number `attempt` (1-based): `min(cap, base × 2^(attempt-1))`. */
export function backoffCeilingMs(attempt: number, policy: BackoffPolicy = {}): number {
  const base = policy.baseDelayMs ?? THROTTLE_BASE_DELAY_MS;
  const cap = policy.maxDelayMs ?? THROTTLE_MAX_DELAY_MS;
  return Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
}

/**
 * Whether to retry after `state.attempt` throttled attempts, and after how long: full jitter, a
 * delay uniform in `[0, min(ceiling, left − minAttemptMs))`, where `left` is the budget not yet
 * spent. When what is left is shorter than the ceiling, that retry is the last (`last`): drawn
 * anywhere in the rest of the budget, not followed by ever shorter ones. Gives up when the window
 * would be shorter than {@link MIN_ATTEMPT_MS} (less than two attempts' time is left).
 */
export function throttleRetryDecision(state: RetryState, policy: BackoffPolicy = {}): RetryDecision {
  const minAttempt = policy.minAttemptMs ?? MIN_ATTEMPT_MS;
  const room = state.budgetMs - state.elapsedMs - minAttempt;
  if (room < minAttempt) return { retry: false, reason: 'budget-spent' };
  const ceiling = backoffCeilingMs(state.attempt, policy);
  const window = Math.min(ceiling, room);
  return { retry: true, delayMs: Math.floor((state.random ?? Math.random)() * window), last: room <= ceiling };
}

/** Options of {@link retryThrottled}. */
export interface RetryThrottledOptions extends BackoffPolicy {
  /** Whether an error is a throttle (only those are retried). */
  readonly isThrottled: (error: unknown) => boolean;
  /**
   * The time retries may take, in ms from the first attempt. A function is asked again before each
   * retry, so the budget can change while retrying (a prefetch handed an invocation's budget).
   * @default throttleBudgetMs(context)
   */
  readonly budgetMs?: number | (() => number);
  /** The Lambda context whose remaining time bounds the retries. */
  readonly context?: RemainingTime;
  /** @default Date.now */
  readonly clock?: Clock;
  /** Waits `ms`. @default an unref'd setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
}

/** A wait that does not keep the event loop alive by itself. */
export function unrefSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Calls `call` until it succeeds, fails with an error that is not a throttle, or the budget is
 * spent (then the last throttling error is thrown as it came).
 */
export async function retryThrottled<T>(call: () => Promise<T>, options: RetryThrottledOptions): Promise<T> {
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? unrefSleep;
  const given = options.budgetMs ?? throttleBudgetMs(options.context);
  const budget = typeof given === 'function' ? given : () => given;
  const started = clock();
  let last = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!options.isThrottled(error) || last) throw error;
      const decision = throttleRetryDecision({ attempt, elapsedMs: clock() - started, budgetMs: budget(), random: options.random }, options);
      if (!decision.retry) throw error;
      last = decision.last;
      await sleep(decision.delayMs);
    }
  }
}
