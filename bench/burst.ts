/**
 * Burst: N execution environments cold-starting at once against one hub account's STS request
 * quota (the emulator's token bucket: 50 AssumeRole per second, burst 50). Each environment is a
 * fresh instance of the bundled handler module (its own shim, its own process-wide credential cache
 * and STS client), all loaded in one child process and invoked at the same moment, each with a
 * Lambda-like context whose remaining time starts at the function timeout (30 s). The baseline is
 * the plain handler (no hub, no STS) bursting the same way.
 *
 * Reported: failed invocations (an error, or no answer within the timeout), STS AssumeRole calls
 * (answered or throttled, from the emulator's CloudTrail), and the time until every invocation had
 * succeeded.
 *
 * The floor: a third handler bursts the same way with one AssumeRole per environment during INIT
 * and no retry (`handlers/assume-once.ts`). The throttles it gets are the first wave's; each of
 * those environments needs at least one more call whatever the retry policy, so a burst in which
 * nothing fails makes at least environments + first-wave throttles STS calls. With every first
 * attempt sent at once against a bucket of 50, that is about 2 × 300 − 50 − 50 × (the seconds the
 * first wave takes to arrive): the goal's 1.5 × 300 is out of reach for any client that does not
 * hold back its first AssumeRole (which would cost every cold start latency, against goal 2).
 *
 * Goal (issue 8): 300 environments, 0 failed within a 30 s timeout, STS calls ≤ 1.5 × 300.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resetBedrockHubSessions } from '../lambda-shim';
import { bundleHandlers, bundleLikeNodejsFunction } from './bundle-size';
import type { HandlerBundle } from './bundle-size';
import { goalTable } from './goals';
import type { GoalRow } from './goals';
import { baseEnvironment, credentialEnvironment, HUB_ENVIRONMENT, runNodeScript } from './process-support';
import { HubScenario } from './scenario';
import { formatDuration, formatRatio, formatTable, measureInterleaved, ratio } from './support';
import type { Benchmark, Variant } from './support';

/** One burst of one handler. */
export interface BurstRun {
  readonly environments: number;
  readonly failed: number;
  /** Failures by the error's `layer` (shim errors) or name. */
  readonly failures: Readonly<Record<string, number>>;
  /** AssumeRole requests the emulator saw during the burst (answered or throttled). */
  readonly stsCalls: number;
  /** Of those, the ones answered `Throttling`. */
  readonly throttled: number;
  /** From the burst's start to the last successful answer, when every invocation succeeded. */
  readonly allSucceededMs: number | undefined;
  /** From the burst's start to the last answer, failed or not. */
  readonly lastAnswerMs: number;
  /** From the burst's start to the median answer, failed or not. */
  readonly medianAnswerMs: number;
}

/** What the burst benchmark measured. */
export interface BurstResult {
  readonly environments: number;
  readonly quota: { readonly ratePerSecond: number; readonly burst: number };
  /** Plain, then shim; one entry per round. */
  readonly runs: readonly { readonly name: string; readonly runs: readonly BurstRun[] }[];
}

const FULL = { environments: 300, quota: { ratePerSecond: 50, burst: 50 }, timeoutMs: 30_000, rounds: 1 };
const SMOKE = { environments: 6, quota: { ratePerSecond: 2, burst: 2 }, timeoutMs: 30_000, rounds: 1 };

/**
 * The figures before the work toward the goal: this benchmark against the code of 2026-11-30
 * (`... bench/run.ts burst`): the SDK's one retry (`maxAttempts` 2) rides out part of the
 * throttling; 6 environments still failed with `sts-throttled` (another run: 16 with
 * `sts-unreachable`, the emulator answering slower than the 3.5 s request timeout under load).
 */
const BEFORE = { failed: '6', stsCalls: '450', allSucceeded: 'never' };

/**
 * The child: loads `count` fresh instances of the handler module, then invokes them all at once.
 * Timers are unref'd; the script exits when it has written its answer.
 */
const CHILD_SCRIPT = `
const { performance } = require('node:perf_hooks');
const [file, countText, timeoutText] = process.argv.slice(1).filter((a) => a !== '--');
const count = Number(countText);
const timeoutMs = Number(timeoutText);
const handlers = [];
for (let i = 0; i < count; i++) {
  delete require.cache[require.resolve(file)];
  handlers.push(require(file).handler);
}
const started = performance.now();
Promise.all(handlers.map(async (handler) => {
  const deadline = performance.now() + timeoutMs;
  const context = { getRemainingTimeInMillis: () => Math.max(0, Math.round(deadline - performance.now())) };
  let timer;
  const timedOut = new Promise((resolve) => { timer = setTimeout(() => resolve({ ok: false, error: 'Sandbox.Timedout' }), timeoutMs); timer.unref(); });
  const answer = Promise.resolve().then(() => handler({ prompt: 'Hello' }, context)).then(
    (r) => (r && r.text ? { ok: true } : { ok: false, error: 'no text' }),
    (e) => ({ ok: false, error: (e && (e.layer || e.name)) || String(e) }),
  );
  const outcome = await Promise.race([answer, timedOut]);
  clearTimeout(timer);
  return { ...outcome, at: performance.now() - started };
})).then((outcomes) => {
  process.stdout.write(JSON.stringify(outcomes), () => process.exit(0));
}, (e) => { process.stderr.write(String((e && e.stack) || e), () => process.exit(1)); });
`;

interface Outcome {
  readonly ok: boolean;
  readonly error?: string;
  readonly at: number;
}

function summarizeBurst(outcomes: readonly Outcome[], stsCalls: number, throttled: number): BurstRun {
  const failures: Record<string, number> = {};
  for (const o of outcomes) if (!o.ok) failures[o.error ?? 'Error'] = (failures[o.error ?? 'Error'] ?? 0) + 1;
  const failed = outcomes.filter((o) => !o.ok).length;
  const lastAnswerMs = Math.max(0, ...outcomes.map((o) => o.at));
  const allSucceededMs = failed === 0 ? lastAnswerMs : undefined;
  const medianAnswerMs = median(outcomes.map((o) => o.at));
  return { environments: outcomes.length, failed, failures, stsCalls, throttled, allSucceededMs, lastAnswerMs, medianAnswerMs };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const burst: Benchmark<BurstResult> = {
  name: 'burst',
  title: 'N environments cold-starting at once against an STS quota: failed invocations, STS calls, time to all succeeded',
  async run(print, options = {}) {
    const plan = options.smoke ? SMOKE : FULL;
    // The figures before were measured at the full size only.
    const before = options.smoke ? { failed: '-', stsCalls: '-', allSucceeded: '-' } : BEFORE;
    const scenario = await HubScenario.start();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-burst-'));
    try {
      const hubCredentials = await scenario.assumeHubRole();
      const bundles = await bundleHandlers(scratch);
      const bundle = (name: HandlerBundle['name']): { file: string } => bundles.find((b) => b.name === name)!;
      const assumeOnce = { file: path.join(scratch, 'assume-once', 'index.js') };
      await bundleLikeNodejsFunction(path.join(__dirname, 'handlers', 'assume-once.ts'), assumeOnce.file);
      const base = baseEnvironment(scenario, scratch);
      const hubSide = { ...base, ...credentialEnvironment(scenario.masterCredentials), ...HUB_ENVIRONMENT };
      const sides = [
        { name: 'plain handler (no hub)', bundle: bundle('plain'), env: { ...base, ...credentialEnvironment(hubCredentials) } },
        { name: 'shim handler (hub mode on)', bundle: bundle('shim'), env: hubSide },
        { name: 'first wave: 1 AssumeRole, no retry', bundle: assumeOnce, env: hubSide },
      ];
      const runs = sides.map((side) => ({ name: side.name, runs: [] as BurstRun[] }));
      await measureInterleaved(sides.map((side, i): Variant => ({
        name: side.name,
        prepare: () => scenario.setStsQuota(plan.quota),
        run: async () => {
          const counted = [scenario.workloadAssumeRoleCount(), scenario.workloadAssumeRoleCount('Throttling')];
          const args = [side.bundle.file, String(plan.environments), String(plan.timeoutMs)];
          const outcomes = await runNodeScript<Outcome[]>(CHILD_SCRIPT, args, side.env);
          const stsCalls = scenario.workloadAssumeRoleCount() - counted[0];
          runs[i].runs.push(summarizeBurst(outcomes, stsCalls, scenario.workloadAssumeRoleCount('Throttling') - counted[1]));
        },
        cleanup: () => scenario.setStsQuota(undefined),
      })), { warmup: 0, rounds: plan.rounds });

      const [plain, shim, firstWave] = runs;
      const time = (r: BurstRun): number => r.allSucceededMs ?? Number.NaN;
      const plainTime = median(plain.runs.map((r) => r.lastAnswerMs));
      print(`${plan.environments} environments at once, STS quota ${plan.quota.ratePerSecond} AssumeRole/s (burst ${plan.quota.burst}) per account, ` +
        `function timeout ${plan.timeoutMs / 1000} s; ${plan.rounds} round(s), interleaved`);
      print(formatTable(
        ['handler', 'environments', 'failed', { header: 'failures', align: 'left' }, 'STS calls', 'throttled', 'median answer after', 'all succeeded after', 'last answer after', 'last answer ÷ plain'],
        runs.flatMap((side) => side.runs.map((r) => [
          side.name,
          String(r.environments),
          String(r.failed),
          Object.entries(r.failures).map(([k, v]) => `${k}: ${v}`).join(', ') || '-',
          String(r.stsCalls),
          String(r.throttled),
          formatDuration(r.medianAnswerMs),
          formatDuration(time(r)),
          formatDuration(r.lastAnswerMs),
          formatRatio(ratio(r.lastAnswerMs, plainTime)),
        ])),
      ));
      print('');
      const failed = median(shim.runs.map((r) => r.failed));
      const stsCalls = median(shim.runs.map((r) => r.stsCalls));
      const allSucceeded = median(shim.runs.map(time));
      const floor = plan.environments + median(firstWave.runs.map((r) => r.throttled));
      const goals: GoalRow[] = [
        { measure: `burst: failed of ${plan.environments} cold starts`, before: before.failed, now: String(failed), goal: '0', met: failed === 0 },
        { measure: 'burst: STS AssumeRole calls', before: before.stsCalls, now: String(stsCalls), goal: `≤ ${1.5 * plan.environments}`, met: stsCalls <= 1.5 * plan.environments },
        { measure: 'burst: floor, environments + first-wave throttles', before: '-', now: String(floor), goal: `≤ ${1.5 * plan.environments}`, met: floor <= 1.5 * plan.environments },
        { measure: 'burst: STS calls ÷ floor', before: '-', now: formatRatio(ratio(stsCalls, floor)), goal: '(printed)' },
        {
          measure: 'burst: all succeeded after',
          before: before.allSucceeded,
          now: formatDuration(allSucceeded),
          goal: `≤ ${plan.timeoutMs / 1000} s`,
          met: allSucceeded <= plan.timeoutMs,
        },
      ];
      print(goalTable(goals));
      print('failures: the shim error\'s layer (or the error\'s name; Sandbox.Timedout: no answer within the timeout).');
      print('first wave: its failures are the throttled first attempts; no retry policy that answers every environment can make fewer STS calls than the floor.');
      return { environments: plan.environments, quota: plan.quota, runs };
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
      resetBedrockHubSessions();
      await scenario.stop();
    }
  },
};
