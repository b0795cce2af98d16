/**
 * How long the shim may keep retrying a throttled AssumeRole: until shortly before the current
 * invocation times out, when the handler has handed over its Lambda context
 * (`hub.withContext(context)`); a bounded default otherwise.
 *
 * One Lambda execution environment runs one function, so the deadline is process-wide. With
 * several invocations at once in one environment (`AWS_LAMBDA_MAX_CONCURRENCY`), they share one
 * AssumeRole (single flight), and the latest deadline handed over bounds it: the credentials it
 * brings serve every invocation still running.
 */

import type { Clock } from './clock';
import { DEFAULT_THROTTLE_BUDGET_MS, LAMBDA_SAFETY_MARGIN_MS } from './sts-backoff';
import type { RemainingTime } from './sts-backoff';

/** The latest invocation deadline handed over, in ms since the epoch by the recording clock. */
let latestDeadline: number | undefined;

/**
 * Records the deadline of an invocation: now plus `context.getRemainingTimeInMillis()`. A context
 * without that method (or with a value that is not a number) is ignored.
 */
export function recordInvocationDeadline(context: RemainingTime, clock: Clock): void {
  if (typeof context?.getRemainingTimeInMillis !== 'function') return;
  const remaining = context.getRemainingTimeInMillis();
  if (!Number.isFinite(remaining)) return;
  const deadline = clock() + remaining;
  if (latestDeadline === undefined || deadline > latestDeadline || latestDeadline <= clock()) latestDeadline = deadline;
}

/**
 * The time a throttled AssumeRole may still be retried, in ms: up to
 * {@link LAMBDA_SAFETY_MARGIN_MS} before the latest recorded invocation deadline (0 once that is
 * past: the invocation is about to time out, and a fresh default budget would outlive it), or, when
 * no invocation has handed over its context, {@link DEFAULT_THROTTLE_BUDGET_MS} less
 * `defaultSpentMs` (what a run of throttles going on has already spent of it). A handler that hands
 * over its context does so at the start of every invocation, so the deadline is the current one.
 */
export function throttleRetryBudgetMs(clock: Clock, defaultSpentMs = 0): number {
  if (latestDeadline === undefined) return Math.max(0, DEFAULT_THROTTLE_BUDGET_MS - defaultSpentMs);
  return Math.max(0, latestDeadline - clock() - LAMBDA_SAFETY_MARGIN_MS);
}

/** Forgets the recorded deadline (with the other process-wide state, for tests). */
export function resetInvocationDeadline(): void {
  latestDeadline = undefined;
}
