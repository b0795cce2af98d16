/**
 * The one source of time for the shim. Every expiry decision (is this session fresh, due for a
 * refresh, too close to its end to sign with?) reads the clock it was given, so tests can move time
 * instead of waiting for it.
 */

/** Milliseconds since the Unix epoch, like `Date.now()`. */
export type Clock = () => number;

/** The wall clock. */
export const systemClock: Clock = () => Date.now();
