/**
 * Starting AssumeRole during the Lambda INIT phase, so the first invocation does not wait for it.
 *
 * Rules (each one a way a prefetch could otherwise hurt):
 * - Only inside Lambda (`AWS_LAMBDA_FUNCTION_NAME` and `AWS_LAMBDA_RUNTIME_API` set), unless asked
 *   for: a script or a test that imports a handler must not call STS by surprise.
 * - Never an unhandled rejection: the prefetch's promise has a catch attached the moment it starts.
 * - No timer keeps the event loop alive on the prefetch's account: starting creates no timer. Only
 *   {@link Prefetch.claim}, while an invocation waits for the prefetch, holds one (cleared when
 *   the wait ends), so the process does not exit under a waiting invocation.
 * - A failed or frozen prefetch never fails an invocation by itself: `claim()` then resolves to
 *   `undefined` and the caller assumes the role as it would without a prefetch. Provisioned
 *   concurrency freezes an environment right after INIT; a request in flight then may never
 *   answer, so a prefetch older by the clock than its budget plus `settleMs` is not waited for.
 * - One AssumeRole at a time: an invocation that finds the prefetch still retrying a throttled
 *   AssumeRole waits for it and hands it its own budget (`claim(…, budgetMs)`), rather than giving
 *   up on it at the end of the prefetch's own short budget and starting a second round of retries
 *   beside it. In a burst of cold starts that second round doubled the calls STS throttles.
 */

import type { Clock } from './clock';
import type { Environment } from './config';
import { LAMBDA_ENV } from '../src/contract';

/**
 * How long a prefetch may keep retrying a throttled AssumeRole by itself, in ms from its start; an
 * invocation that waits for it hands it its own budget instead ({@link Prefetch.claim}).
 */
export const PREFETCH_BUDGET_MS = 3_500;

/**
 * Whether to prefetch: `requested` when given; otherwise only inside the Lambda runtime.
 */
export function shouldPrefetch(env: Environment, requested?: boolean): boolean {
  if (requested !== undefined) return requested;
  return Boolean(env[LAMBDA_ENV.FUNCTION_NAME]) && Boolean(env[LAMBDA_ENV.RUNTIME_API]);
}

/** Options of {@link Prefetch}. */
export interface PrefetchOptions {
  /** @default Date.now */
  readonly clock?: Clock;
  /**
   * The time the prefetch may spend by itself, in ms from its start: the budget `fetch` is handed
   * until a claim hands it the claimer's. @default PREFETCH_BUDGET_MS
   */
  readonly budgetMs?: number;
  /**
   * How long after its budget a live prefetch may still take to settle (its last attempt, bounded
   * by request timeouts), in ms. A pending prefetch older than budget + this was frozen. @default 0
   */
  readonly settleMs?: number;
}

/** What `fetch` is handed: the prefetch's budget as it stands now (a claim replaces it with the claimer's). */
export type PrefetchBudget = () => number;

type State<T> =
  | { readonly kind: 'idle' }
  | { readonly kind: 'pending'; readonly startedAt: number; readonly promise: Promise<{ ok: true; value: T } | { ok: false }> }
  | { readonly kind: 'claimed' };

/** One prefetch: started once, claimed once. */
export class Prefetch<T> {
  #state: State<T> = { kind: 'idle' };
  readonly #clock: Clock;
  readonly #settleMs: number;
  /** The time the prefetch may spend, in ms from its start. */
  #budgetMs: number;

  constructor(options: PrefetchOptions = {}) {
    this.#clock = options.clock ?? Date.now;
    this.#budgetMs = options.budgetMs ?? PREFETCH_BUDGET_MS;
    this.#settleMs = options.settleMs ?? 0;
  }

  /** Whether a prefetch was started and not yet claimed. */
  public get pending(): boolean {
    return this.#state.kind === 'pending';
  }

  /**
   * Starts `fetch` now (once; later calls do nothing). Its failure is kept, never thrown: no
   * unhandled rejection, whatever `fetch` does, even if it throws synchronously. `fetch` is handed
   * the prefetch's budget, to read before each retry.
   */
  public start(fetch: (budgetMs: PrefetchBudget) => Promise<T>): void {
    if (this.#state.kind !== 'idle') return;
    let promise: Promise<T>;
    try {
      promise = fetch(() => this.#budgetMs);
    } catch (error) {
      promise = Promise.reject(error);
    }
    this.#state = {
      kind: 'pending',
      startedAt: this.#clock(),
      promise: Promise.resolve(promise).then((value) => ({ ok: true as const, value }), () => ({ ok: false as const })),
    };
  }

  /**
   * Resolves once the prefetch has succeeded or failed (at once when none is pending: never
   * started, or already claimed). Never rejects.
   */
  public async settled(): Promise<void> {
    const state = this.#state;
    if (state.kind === 'pending') await state.promise;
  }

  /**
   * The prefetched value, once: resolves to it when the prefetch succeeded and `isUsable` accepts
   * it (credentials fetched before a long freeze may be too close to their end to sign with), and
   * to `undefined` when there was none, it failed, it is too old, it is not usable, or it was
   * claimed before. Never rejects.
   *
   * A prefetch still in flight is waited for, up to its budget plus `settleMs` after its start by
   * the clock; `budgetMs` (the claimer's own, in ms from now) becomes that budget, longer or shorter,
   * so a prefetch that is retrying throttled calls goes on for as long as the claimer could have, and
   * no longer. A pending prefetch already older than its budget plus `settleMs` was frozen with the
   * environment: it is not waited for.
   */
  public async claim(isUsable: (value: T) => boolean = () => true, budgetMs?: number): Promise<T | undefined> {
    const value = await this.#claim(budgetMs);
    return value !== undefined && isUsable(value) ? value : undefined;
  }

  async #claim(lentMs: number | undefined): Promise<T | undefined> {
    const state = this.#state;
    if (state.kind !== 'pending') return undefined;
    this.#state = { kind: 'claimed' };
    const age = this.#clock() - state.startedAt;
    const frozen = age > this.#budgetMs + this.#settleMs;
    if (!frozen && lentMs !== undefined) this.#budgetMs = age + lentMs;
    const left = this.#budgetMs + this.#settleMs - age;
    if (frozen || left <= 0) {
      // Frozen since INIT (or simply slow): a settled result is still good, a pending one is not waited for.
      const settled = await Promise.race([state.promise, Promise.resolve(undefined)]);
      return settled?.ok ? settled.value : undefined;
    }
    let timer: NodeJS.Timeout | undefined;
    // Ref'd: an invocation is waiting, and a prefetch between throttled attempts holds nothing else alive.
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), left);
    });
    try {
      const outcome = await Promise.race([state.promise, timeout]);
      return outcome?.ok ? outcome.value : undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}
