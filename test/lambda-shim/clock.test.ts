import { systemClock } from '../../lambda-shim/clock';

test('the system clock is the wall clock', () => {
  const before = Date.now();
  const now = systemClock();
  expect(now).toBeGreaterThanOrEqual(before);
  expect(now).toBeLessThanOrEqual(Date.now());
});
