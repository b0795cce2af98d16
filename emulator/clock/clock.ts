/**
 * Time for the emulator and for the code under test.
 *
 * Every time-dependent decision the emulator makes (credential expiry, SigV4 clock skew, CloudTrail
 * `eventTime`, the `Date` response header) reads one {@link Clock}. Tests move a {@link ManualClock}
 * instead of waiting: three hours of credential life pass in one `advance()` call.
 *
 * The same clock is shared with the code under test: in-process by passing `clock.now` (a bound
 * `() => number`, the shape the shim's clock has), and with a child process through the clock file
 * of `clock-bridge.ts`.
 */

import { realNow, replaceDate } from './date-patch';

/** A source of time, in milliseconds since the Unix epoch. */
export interface Clock {
  /** The current time in milliseconds since the Unix epoch, like `Date.now()`. Safe to pass unbound. */
  readonly now: () => number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => realNow() };

/** What a {@link ManualClock} tells its listeners and the clock file. */
export interface ClockReading {
  /** The clock's time at `realAnchor`. */
  readonly anchor: number;
  /** The wall-clock time (`Date.now()`) at which `anchor` was read. */
  readonly realAnchor: number;
  /** Whether the clock moves on its own with wall-clock time between two changes. */
  readonly ticking: boolean;
}

/** Options for a {@link ManualClock}. */
export interface ManualClockOptions {
  /**
   * Where the clock starts.
   * @default the current wall-clock time
   */
  readonly start?: Date | number;
  /**
   * Whether the clock also moves with wall-clock time. A standing clock (the default) makes every
   * expiry decision exact: after `advance(50 * 60_000)` exactly ten minutes are left on a one-hour session.
   * @default false
   */
  readonly ticking?: boolean;
}

/**
 * A clock that only moves when told to (or, with `ticking`, moves with wall-clock time plus whatever
 * it was advanced by).
 *
 * @example
 * const clock = new ManualClock();
 * const emulator = await AwsEmulator.start({ clock });
 * clock.advance(3 * 60 * 60_000); // three hours later
 */
export class ManualClock implements Clock {
  /** Whether the clock moves with wall-clock time between changes. */
  public readonly ticking: boolean;
  private anchor: number;
  private realAnchor: number;
  private readonly listeners = new Set<(reading: ClockReading) => void>();

  constructor(options: ManualClockOptions = {}) {
    const start = options.start ?? realNow();
    this.anchor = typeof start === 'number' ? start : start.getTime();
    this.realAnchor = realNow();
    this.ticking = options.ticking ?? false;
  }

  /** The clock's current time in milliseconds since the Unix epoch. */
  public readonly now = (): number => (this.ticking ? this.anchor + (realNow() - this.realAnchor) : this.anchor);

  /** Moves the clock forward (or, with a negative value, backward) by `ms` milliseconds. */
  public advance(ms: number): void {
    if (!Number.isFinite(ms)) {
      throw new Error(`ManualClock.advance: ms must be a finite number of milliseconds, got ${ms}`);
    }
    this.set(this.now() + ms);
  }

  /** Sets the clock to `time`. */
  public set(time: Date | number): void {
    this.anchor = typeof time === 'number' ? time : time.getTime();
    this.realAnchor = realNow();
    const reading = this.reading();
    for (const listener of this.listeners) {
      listener(reading);
    }
  }

  /** The clock's state, as published to child processes. */
  public reading(): ClockReading {
    return { anchor: this.anchor, realAnchor: this.realAnchor, ticking: this.ticking };
  }

  /**
   * Calls `listener` after every change (`advance`, `set`).
   * @returns a function that removes the listener
   */
  public onChange(listener: (reading: ClockReading) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * Makes this process's `Date` follow `clock` (`Date.now()`, `new Date()`), so in-process SDK clients
 * sign with the emulator's time, as the child-process preload does for a Lambda handler. Without it an
 * in-process client signs with the wall clock, and once a test moves the emulator's clock more than 15
 * minutes its requests are rejected for clock skew, exactly as AWS would.
 *
 * Timers (`setTimeout`) are untouched.
 * @returns a function that restores the original `Date`
 * @example
 * const restore = followClock(emulator.clock);
 * try { ... } finally { restore(); }
 */
export function followClock(clock: Clock): () => void {
  return replaceDate(clock.now);
}

/** The clock's time as a `Date`. */
export function dateOf(clock: Clock): Date {
  return new Date(clock.now());
}

/** ISO-8601 without milliseconds, the way AWS writes timestamps (`2024-05-01T12:00:00Z`). */
export function isoSeconds(time: Date | number): string {
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The SigV4 basic format `20240501T120000Z`. */
export function amzDate(time: Date | number): string {
  return isoSeconds(time).replace(/[-:]/g, '');
}
