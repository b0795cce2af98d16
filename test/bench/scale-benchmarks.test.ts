/**
 * The scale benchmarks of issue 8 (synth scale, burst, cold start with INIT overlap), run with the
 * smallest counts that still go through all of their paths: proof that they run and report, not a
 * measurement. Nothing here looks at a duration.
 */
import type { BurstResult } from '../../bench/burst';
import { burst } from '../../bench/burst';
import type { ColdStartInitResult } from '../../bench/cold-start-init';
import { coldStartInit } from '../../bench/cold-start-init';
import { goalTable } from '../../bench/goals';
import type { MultiConcurrencyResult } from '../../bench/multi-concurrency';
import { multiConcurrency } from '../../bench/multi-concurrency';
import type { FailoverMeasured } from '../../bench/sts-failover';
import { stsFailover } from '../../bench/sts-failover';
import type { Benchmark } from '../../bench/support';
import type { SynthScaleResult } from '../../bench/synth-scale';
import { synthScale } from '../../bench/synth-scale';

async function smoke<T>(benchmark: Benchmark<T>): Promise<{ result: T; output: string }> {
  const printed: string[] = [];
  const result = await benchmark.run((text) => printed.push(text), { smoke: true });
  return { result, output: printed.join('\n') };
}

/** Every report ends with the goals: before, now, goal, met; those comparing times print ratios. */
function expectGoalTable(output: string, ratios = true): void {
  expect(output).toMatch(/^goal \(issue 8\)\s+before\s+now\s+goal\s+met$/m);
  expect(output).toMatch(/^-+(  -+)+$/m);
  if (ratios) expect(output).toMatch(/\d\.\d\dx|n\/a/);
}

test('goalTable prints one row per goal with its verdict', () => {
  expect(goalTable([
    { measure: 'a', before: '1.20x', now: '1.01x', goal: '≤ 1.02x', met: true },
    { measure: 'b', before: 'n/a', now: '3', goal: '0', met: false },
    { measure: 'c', before: '-', now: '2.00x', goal: '(reference)' },
  ]).split('\n')).toEqual([
    'goal (issue 8)  before    now         goal  met',
    '--------------  ------  -----  -----------  ---',
    'a                1.20x  1.01x      ≤ 1.02x  yes',
    'b                  n/a      3            0   no',
    'c                    -  2.00x  (reference)    -',
  ]);
});

test('synth-scale synthesizes both apps per shape, the hub adding one shared policy per stack', async () => {
  const { result, output } = await smoke(synthScale);
  expectGoalTable(output);
  const results = result as SynthScaleResult[];
  expect(results.map((r) => [r.shape, r.measured.map((m) => m.samples.length)])).toEqual([
    [{ stacks: 1, functionsPerStack: 3 }, [1, 1, 1]],
    [{ stacks: 2, functionsPerStack: 2 }, [1, 1, 1]],
  ]);
  for (const { shape, resources } of results) {
    // A function and its role each, then one shared AssumeRole policy per stack (by the construct, or by hand).
    const functions = shape.stacks * shape.functionsPerStack;
    expect(resources).toEqual([2 * functions, 2 * functions + shape.stacks, 2 * functions + shape.stacks]);
  }
});

test('burst invokes every environment once and counts STS calls from the emulator', async () => {
  const { result, output } = await smoke(burst);
  expectGoalTable(output);
  const { environments, runs } = result as BurstResult;
  expect(runs.map((side) => side.name)).toEqual(['plain handler (no hub)', 'shim handler (hub mode on)', 'first wave: 1 AssumeRole, no retry']);
  const [plain, shim, firstWave] = runs.map((side) => side.runs[0]);
  expect(plain).toMatchObject({ environments, failed: 0, stsCalls: 0, throttled: 0 });
  expect(shim.environments).toBe(environments);
  // Each environment has its own cache, so each makes at least one AssumeRole.
  expect(shim.stsCalls).toBeGreaterThanOrEqual(environments);
  expect(Object.values(shim.failures).reduce((a, b) => a + b, 0)).toBe(shim.failed);
  // The first wave: one request per environment, and what the quota refused is what failed.
  expect(firstWave).toMatchObject({ environments, stsCalls: environments, failed: firstWave.throttled });
  expect(firstWave.failures).toEqual(firstWave.throttled > 0 ? { Throttling: firstWave.throttled } : {});
  expect(output).toMatch(/burst: floor, environments \+ first-wave throttles +- +\d+ /);
});

test('cold-start-init runs every variant in a new process', async () => {
  const { result, output } = await smoke(coldStartInit);
  expectGoalTable(output);
  const { variants } = result as ColdStartInitResult;
  expect(variants.map((v) => [v.name, v.require.length, v.invoke.length])).toEqual([
    ['plain, no INIT work', 1, 1],
    ['shim hub on, no INIT work', 1, 1],
    ['plain, 150 ms INIT work', 1, 1],
    ['shim hub on, 150 ms INIT work', 1, 1],
    ['shim hub off, no INIT work', 1, 1],
  ]);
});

test('multi-concurrency sends bursts of concurrent invocations to one environment across simulated time', async () => {
  const { result, output } = await smoke(multiConcurrency);
  expectGoalTable(output, false);
  const { concurrency, bursts } = result as MultiConcurrencyResult;
  expect(bursts.map((b) => [b.minute, b.invocations, b.failed])).toEqual([[0, concurrency, 0], [30, concurrency, 0], [60, concurrency, 0]]);
  // One environment: one cold start in all. A one-hour session: the first AssumeRole, and one when it ran out.
  expect(bursts.map((b) => b.coldStarts)).toEqual([1, 0, 0]);
  expect(bursts.map((b) => b.assumeRoles)).toEqual([1, 0, 1]);
});

test('sts-failover times a fresh session\'s first call with STS healthy and with the primary region failing', async () => {
  const { result, output } = await smoke(stsFailover);
  expectGoalTable(output, false);
  const measured = result as FailoverMeasured[];
  expect(measured.map((m) => [m.name, m.samples.length])).toEqual([
    ['STS healthy', 1], ['us-east-1 STS answers 503', 1], ['us-east-1 STS never answers', 1],
  ]);
  expect(measured[0].failed).toBe(0);
  for (const m of measured) expect(Object.values(m.failures).reduce((a, b) => a + b, 0)).toBe(m.failed);
});
