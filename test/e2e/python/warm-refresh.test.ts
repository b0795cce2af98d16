/**
 * The reference's "How to verify", point 5, for a Python function: a warm python3.13 environment
 * (the boto3 the Lambda runtime ships) keeps succeeding across three simulated hours. The emulator's
 * clock moves and the function's process sees it at once (its `time.time()` and `datetime` read the
 * clock file); nothing sleeps.
 */
import { ensurePythonRuntimes, PYTHON_RUNTIME_SETUP_TIMEOUT_MS } from '../../fixtures/hub-app/python-runtime';
import { isBedrock } from '../../fixtures/hub-app/trail';
import { failuresOf, resultOf } from '../helpers';
import { PYTHON_FUNCTION, verifyWarmRefresh } from '../verification-steps';

const MINUTE = 60_000;

// The virtualenvs with the Lambda runtime's and the newest boto3 (created on a fresh clone).
beforeAll(ensurePythonRuntimes, PYTHON_RUNTIME_SETUP_TIMEOUT_MS);

const current = verifyWarmRefresh(PYTHON_FUNCTION, 'Python warm refresh');

test('the function\'s process tells the emulator\'s time: time.time() and datetime follow the clock', async () => {
  const { running, lambda } = current();
  // GIVEN a warm function, and the clock moved six hours ahead of the wall clock (within the
  // 12 hours of the execution role's credentials)
  expect(failuresOf(resultOf(await lambda.invoke({ operations: [{ op: 'Converse' }] })))).toEqual([]);
  running.clock.advance(6 * 60 * MINUTE);

  // WHEN
  const result = resultOf(await lambda.invoke({ operations: [{ op: 'Converse' }] }));

  // THEN the call was signed at the emulator's time (SigV4 allows 15 minutes of skew), on fresh credentials
  expect(failuresOf(result)).toEqual([]);
  const [, converse] = running.emulator.cloudTrail.events.filter(isBedrock);
  expect(Math.abs(Date.parse(converse.eventTime) - running.clock.now())).toBeLessThan(MINUTE);
  expect(Date.parse(converse.eventTime) - Date.now()).toBeGreaterThan(5 * 60 * MINUTE);
});
