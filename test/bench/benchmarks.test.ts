/**
 * Every benchmark of `npm run bench`, run with the smallest counts that still go through all of its
 * paths: proof that it runs and reports, not a measurement. Nothing here looks at a duration.
 */
import type { AssumeRoleCountResult } from '../../bench/assume-role-count';
import { BENCHMARKS } from '../../bench/benchmarks';
import type { HandlerBundle } from '../../bench/bundle-size';
import type { CallOverheadResult } from '../../bench/call-overhead';
import type { ColdStartResult } from '../../bench/cold-start';
import type { FrameworkCredentialsResult } from '../../bench/framework-credentials';

/** What each benchmark's result must say, beyond printing a table. */
const CHECKS: Record<string, (result: unknown) => void> = {
  'assume-role-count': (result) => {
    for (const { shape, rows } of result as AssumeRoleCountResult[]) {
      const counts = Object.fromEntries(rows.map((row) => [row.variant, row.assumeRoles]));
      expect(counts).toEqual({
        'client per call, own AssumeRole': [shape.clients * shape.calls],
        'AssumeRole provider per client': [shape.clients],
        'shim: hub.client() per client': [1],
      });
    }
  },
  'call-overhead': (result) => {
    const settings = result as CallOverheadResult[];
    expect(settings).toHaveLength(4);
    for (const setting of settings) {
      expect(setting.assumeRolesDuringRun).toBe(0);
      expect(setting.measured.map((m) => m.samples.length)).toEqual([2, 2]);
    }
  },
  'cold-start': (result) => {
    const { firstCall, construction, process } = result as ColdStartResult;
    expect(firstCall.map((m) => m.samples.length)).toEqual([1, 1, 1]);
    expect(construction.map((m) => m.samples.length)).toEqual([1, 1, 1, 1]);
    expect(process.map((m) => [m.name, m.wall.length])).toEqual([
      ['plain BedrockRuntimeClient', 1], ['hand-rolled AssumeRole provider', 1], ['shim: hub.client()', 1],
    ]);
  },
  'bundle-size': (result) => {
    const bundles = result as HandlerBundle[];
    expect(bundles.map((b) => [b.name, b.requires])).toEqual([
      ['plain', ['@aws-sdk/client-bedrock-runtime']],
      ['hand-rolled', ['@aws-sdk/client-bedrock-runtime', '@aws-sdk/client-sts']],
      ['shim', ['@aws-sdk/client-bedrock-runtime', '@aws-sdk/client-sts']],
    ]);
    for (const bundle of bundles) {
      expect(Object.keys(bundle.inputs).filter((input) => input.includes('node_modules'))).toEqual([]);
    }
    expect(Object.keys(bundles[2].inputs)).toEqual(expect.arrayContaining(['lambda-shim/session.ts', 'src/contract/index.ts']));
  },
  'framework-credentials': (result) => {
    for (const setting of result as FrameworkCredentialsResult[]) {
      expect([setting.assumeRolesDuringRun, setting.assumeRolesTotal]).toEqual([0, 1]);
      expect(setting.providerCalls).toBeGreaterThanOrEqual(setting.calls);
      expect(setting.measured.map((m) => m.samples.length)).toEqual([2, 2]);
    }
  },
};

test('every benchmark has its checks here', () => {
  expect(BENCHMARKS.map((b) => b.name).sort()).toEqual(Object.keys(CHECKS).sort());
});

test.each(BENCHMARKS.map((b) => [b.name, b] as const))('%s runs with tiny counts and prints a table of ratios', async (_, benchmark) => {
  // GIVEN
  const printed: string[] = [];

  // WHEN
  const result = await benchmark.run((text) => printed.push(text), { smoke: true });

  // THEN
  const output = printed.join('\n');
  expect(output).toMatch(/^-+(  -+)+$/m);
  expect(output).toMatch(/\d\.\d\dx|n\/a/);
  CHECKS[benchmark.name](result);
});
