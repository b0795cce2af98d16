/**
 * Replacing the global `Date` so that "now" comes from somewhere else: the emulator's clock file in a
 * child process (child-clock.ts), or the emulator's clock itself in a test process (`followClock`).
 *
 * Only "now" changes: `Date.now()`, `new Date()` and `Date()`. Dates built from values, `Date.UTC`,
 * `Date.parse` and `instanceof Date` behave as before. The original constructor is kept on
 * `globalThis` so that code measuring real time (a ticking clock, the clock file's anchors) can
 * still reach it through {@link realNow}.
 *
 * Node built-ins only: this module is also bundled into the child-process preload.
 */

const ORIGINAL_DATE = Symbol.for('aws-emulator.original-date');

interface Holder {
  [ORIGINAL_DATE]?: DateConstructor;
  Date: DateConstructor;
}

const holder = globalThis as unknown as Holder;

/** The `Date` constructor as it was before any replacement. */
export function originalDate(): DateConstructor {
  return holder[ORIGINAL_DATE] ?? holder.Date;
}

/** Wall-clock milliseconds since the epoch, even while `Date` is replaced. */
export function realNow(): number {
  return originalDate().now();
}

/**
 * Makes `Date`'s "now" come from `now` until the returned function is called.
 * @throws if `Date` is already replaced
 */
export function replaceDate(now: () => number): () => void {
  if (holder[ORIGINAL_DATE]) {
    throw new Error('Date is already replaced; restore it before replacing it again');
  }
  const RealDate = holder.Date;
  holder[ORIGINAL_DATE] = RealDate;
  holder.Date = new Proxy(RealDate, {
    construct(target, args: unknown[], newTarget) {
      return Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget);
    },
    apply() {
      return new RealDate(now()).toString();
    },
    get(target, property, receiver) {
      return property === 'now' ? now : Reflect.get(target, property, receiver);
    },
  });
  return () => {
    holder.Date = RealDate;
    delete holder[ORIGINAL_DATE];
  };
}
