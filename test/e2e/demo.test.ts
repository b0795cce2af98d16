/**
 * `npm run demo`, end to end: the same main function, in this process, with the report collected.
 */
import { DemoOutcome, runDemo } from '../../demo/run';
import { EXTERNAL_ID, HUB_ACCOUNT } from '../fixtures/hub-app/app';

let outcome: DemoOutcome;

beforeAll(async () => {
  outcome = await runDemo({ write: () => undefined });
});

test('every step of the demo passes its checks', () => {
  expect(outcome.checks.filter((c) => !c.ok)).toEqual([]);
  expect(outcome.ok).toBe(true);
  expect(outcome.checks.length).toBeGreaterThanOrEqual(15);
});

test('the report has every section, and ends with the wall time', () => {
  for (const title of [
    '1. The example app, synthesized',
    '2. What BedrockHubAccess added to the workload template',
    '3. Invoking the bundled function',
    '4. CloudTrail: who called what, in which account, under which session',
    '5. One simulated hour',
    '6. A misconfiguration',
    'Checks',
  ]) {
    expect(outcome.output).toContain(`\n${title}`);
  }
  expect(outcome.output).toMatch(/\nAll \d+ checks passed\. Wall time: \d+\.\d s\.$/);
});

test('the report never shows the ExternalId', () => {
  expect(outcome.output).not.toContain(EXTERNAL_ID);
  expect(outcome.output).toContain('BEDROCK_ASSUME_ROLE_EXTERNAL_ID  (set; the value is not shown)');
});

test('the simulated hour: no failure, one refresh', () => {
  expect(outcome.hour).toEqual({ invocations: 12, failed: 0, assumeRoles: 1 });
});

test('it runs well within a minute', () => {
  expect(outcome.wallMs).toBeLessThan(60_000);
});

test('a broken setup makes the demo fail, so that `npm run demo` exits non-zero', async () => {
  // GIVEN the hub account not subscribed to any model from the start
  const broken = await runDemo({
    write: () => undefined,
    beforeInvoking: ({ emulator }) => emulator.bedrock.setModelSubscription({ accountId: HUB_ACCOUNT, subscribed: false }),
  });

  // THEN
  expect(broken.ok).toBe(false);
  expect(broken.checks.filter((c) => !c.ok).map((c) => c.name)).toContain('every operation of the first invocations succeeded');
  expect(broken.output).toMatch(/\n\d+ of \d+ checks FAILED\. Wall time: /);
});
