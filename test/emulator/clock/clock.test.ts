import { amzDate, dateOf, followClock, isoSeconds, ManualClock, systemClock } from '../../../emulator';

const START = Date.UTC(2025, 0, 15, 9, 30, 0);

test('a manual clock stands still until moved', async () => {
  const clock = new ManualClock({ start: START });
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(clock.now()).toBe(START);
  clock.advance(3 * 3600_000);
  expect(clock.now()).toBe(START + 3 * 3600_000);
  clock.set(new Date(START));
  expect(dateOf(clock).toISOString()).toBe('2025-01-15T09:30:00.000Z');
});

test('now is bound, so it can be handed to code that takes a () => number clock', () => {
  const clock = new ManualClock({ start: START });
  const { now } = clock;
  clock.advance(1000);
  expect(now()).toBe(START + 1000);
});

test('a ticking clock moves with wall time, plus what it was advanced by', async () => {
  const clock = new ManualClock({ start: START, ticking: true });
  clock.advance(60_000);
  await new Promise((resolve) => setTimeout(resolve, 30));
  expect(clock.now()).toBeGreaterThanOrEqual(START + 60_000 + 25);
  expect(clock.now()).toBeLessThan(START + 60_000 + 5_000);
});

test('listeners hear every change until they unsubscribe', () => {
  const clock = new ManualClock({ start: START });
  const readings: number[] = [];
  const unsubscribe = clock.onChange((reading) => readings.push(reading.anchor));
  clock.advance(1);
  clock.set(START + 10);
  unsubscribe();
  clock.advance(1);
  expect(readings).toEqual([START + 1, START + 10]);
});

test('advancing by something that is not a number fails', () => {
  expect(() => new ManualClock().advance(Number.NaN)).toThrow(/finite number of milliseconds/);
});

test('the system clock is the wall clock', () => {
  expect(Math.abs(systemClock.now() - Date.now())).toBeLessThan(1000);
});

test('AWS time formats', () => {
  expect(isoSeconds(START + 123)).toBe('2025-01-15T09:30:00Z');
  expect(amzDate(START)).toBe('20250115T093000Z');
});

test('followClock makes this process\'s Date follow the clock until restored', () => {
  // GIVEN
  const clock = new ManualClock({ start: START });
  const restore = followClock(clock);
  try {
    // WHEN
    clock.advance(90 * 60_000);

    // THEN
    expect(Date.now()).toBe(START + 90 * 60_000);
    expect(new Date().toISOString()).toBe('2025-01-15T11:00:00.000Z');
    expect(new Date(0).getTime()).toBe(0);
    expect(new Date() instanceof Date).toBe(true);
    expect(() => followClock(clock)).toThrow(/already replaced/);
    expect(Math.abs(systemClock.now() - performance.timeOrigin - performance.now())).toBeLessThan(1000);
  } finally {
    restore();
  }
  expect(Math.abs(Date.now() - systemClock.now())).toBeLessThan(1000);
});
