import { ManualClock } from '../../emulator';
import { PREFETCH_BUDGET_MS, Prefetch, shouldPrefetch } from '../../lambda-shim/prefetch';

/** A promise settled from outside. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('shouldPrefetch', () => {
  const lambda = { AWS_LAMBDA_FUNCTION_NAME: 'fn', AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001' };
  test.each([
    ['inside Lambda', lambda, undefined, true],
    ['a script that imports the handler', {}, undefined, false],
    ['only a function name (a test that sets it)', { AWS_LAMBDA_FUNCTION_NAME: 'fn' }, undefined, false],
    ['only a runtime API', { AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001' }, undefined, false],
    ['outside Lambda, asked for', {}, true, true],
    ['inside Lambda, turned off', lambda, false, false],
  ])('%s', (_, env, requested, expected) => {
    expect(shouldPrefetch(env, requested)).toBe(expected);
  });
});

describe('Prefetch', () => {
  let unhandled: unknown[];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  beforeEach(() => {
    unhandled = [];
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
    jest.restoreAllMocks();
  });

  test('starting calls fetch once, creates no timer, and the value is claimed once', async () => {
    const clock = new ManualClock();
    const prefetch = new Prefetch<string>({ clock: clock.now });
    const setTimeoutSpy = jest.spyOn(global, 'setTimeout');
    const fetch = jest.fn(async () => 'credentials');
    prefetch.start(fetch);
    prefetch.start(fetch);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(setTimeoutSpy).not.toHaveBeenCalled();
    expect(prefetch.pending).toBe(true);
    await expect(prefetch.claim()).resolves.toBe('credentials');
    await expect(prefetch.claim()).resolves.toBeUndefined();
    expect(prefetch.pending).toBe(false);
  });

  test('a failed prefetch is no unhandled rejection, and claims nothing (the first call assumes the role itself)', async () => {
    const prefetch = new Prefetch<string>({ clock: new ManualClock().now });
    prefetch.start(async () => {
      throw new Error('AccessDenied');
    });
    await flush();
    await flush();
    expect(unhandled).toEqual([]);
    await expect(prefetch.claim()).resolves.toBeUndefined();
  });

  test('a fetch that throws synchronously is kept like a rejection', async () => {
    const prefetch = new Prefetch<string>({ clock: new ManualClock().now });
    expect(() => prefetch.start(() => {
      throw new Error('boom');
    })).not.toThrow();
    await flush();
    expect(unhandled).toEqual([]);
    await expect(prefetch.claim()).resolves.toBeUndefined();
  });

  test('a claim waits for a prefetch in flight, holding a timer (cleared when the wait ends) so the process waits too', async () => {
    const clock = new ManualClock();
    const prefetch = new Prefetch<string>({ clock: clock.now });
    const sts = deferred<string>();
    prefetch.start(() => sts.promise);
    const setTimeoutSpy = jest.spyOn(global, 'setTimeout');
    const clearTimeoutSpy = jest.spyOn(global, 'clearTimeout');
    clock.advance(1000);
    const claimed = prefetch.claim();
    expect(setTimeoutSpy).toHaveBeenCalledWith(expect.any(Function), PREFETCH_BUDGET_MS - 1000);
    const timer = setTimeoutSpy.mock.results[0].value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(true);
    sts.resolve('credentials');
    await expect(claimed).resolves.toBe('credentials');
    expect(clearTimeoutSpy).toHaveBeenCalledWith(timer);
  });

  test('a claim lends a prefetch still retrying the claimer\'s budget: fetch reads it before its next retry, and the claim waits that long', async () => {
    // GIVEN a prefetch retrying throttled calls, 1 s into its own 3.5 s budget
    const clock = new ManualClock();
    const prefetch = new Prefetch<string>({ clock: clock.now, budgetMs: 3_500, settleMs: 7_000 });
    const sts = deferred<string>();
    let budgetMs!: () => number;
    prefetch.start((budget) => {
      budgetMs = budget;
      return sts.promise;
    });
    expect(budgetMs()).toBe(3_500);
    clock.advance(1_000);
    const setTimeoutSpy = jest.spyOn(global, 'setTimeout');

    // WHEN an invocation with 29 s to spend claims it
    const claimed = prefetch.claim(undefined, 29_000);

    // THEN the prefetch may go on for 1 + 29 s from its start, and the claim waits for it (and its last attempt)
    expect(budgetMs()).toBe(30_000);
    expect(setTimeoutSpy).toHaveBeenCalledWith(expect.any(Function), 30_000 + 7_000 - 1_000);
    sts.resolve('credentials');
    await expect(claimed).resolves.toBe('credentials');
  });

  test('a claimer\'s budget replaces the prefetch\'s own, shorter too, and a frozen prefetch is handed nothing', async () => {
    const clock = new ManualClock();
    const short = new Prefetch<string>({ clock: clock.now, budgetMs: 3_500 });
    let shortBudget!: () => number;
    short.start((budget) => {
      shortBudget = budget;
      return new Promise<string>(() => undefined);
    });
    const frozen = new Prefetch<string>({ clock: clock.now, budgetMs: 3_500, settleMs: 7_000 });
    let frozenBudget!: () => number;
    frozen.start((budget) => {
      frozenBudget = budget;
      return new Promise<string>(() => undefined);
    });
    jest.spyOn(global, 'setTimeout').mockImplementation(((callback: () => void) => {
      callback(); // no real waiting: the wait ends at once
      return { unref: () => undefined } as unknown as NodeJS.Timeout;
    }) as unknown as typeof setTimeout);

    await short.claim(undefined, 500);
    expect(shortBudget()).toBe(500); // an invocation with 1.5 s left must not wait out the prefetch's 3.5 s

    clock.advance(15 * 60_000);
    await expect(frozen.claim(undefined, 29_000)).resolves.toBeUndefined();
    expect(frozenBudget()).toBe(3_500);
  });

  test('a claim gives up on a prefetch still in flight when its time is up', async () => {
    const prefetch = new Prefetch<string>({ clock: new ManualClock().now, budgetMs: 5 });
    const sts = deferred<string>();
    prefetch.start(() => sts.promise);
    await expect(prefetch.claim()).resolves.toBeUndefined();
    sts.reject(new Error('late failure'));
    await flush();
    expect(unhandled).toEqual([]);
  });

  test('after a freeze longer than its budget plus settleMs, a settled prefetch is still used and a pending one is not waited for', async () => {
    const clock = new ManualClock();
    const settled = new Prefetch<string>({ clock: clock.now });
    settled.start(async () => 'credentials');
    const frozen = new Prefetch<string>({ clock: clock.now });
    frozen.start(() => new Promise<string>(() => undefined));
    await flush();
    clock.advance(15 * 60_000); // provisioned concurrency: frozen right after INIT, thawed much later
    const setTimeoutSpy = jest.spyOn(global, 'setTimeout');
    await expect(settled.claim()).resolves.toBe('credentials');
    await expect(frozen.claim()).resolves.toBeUndefined();
    expect(setTimeoutSpy).not.toHaveBeenCalled();
  });

  test('a prefetched value the caller cannot use (credentials near their end after a freeze) is not handed out', async () => {
    const clock = new ManualClock();
    const prefetch = new Prefetch<{ expiration: number }>({ clock: clock.now });
    prefetch.start(async () => ({ expiration: clock.now() + 60 * 60_000 }));
    await flush();
    clock.advance(55 * 60_000);
    await expect(prefetch.claim((value) => value.expiration - clock.now() > 10 * 60_000)).resolves.toBeUndefined();
  });

  test('claiming without a start gives nothing', async () => {
    await expect(new Prefetch<string>().claim()).resolves.toBeUndefined();
  });
});
