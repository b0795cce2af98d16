/**
 * Multi-concurrency: one execution environment serving 50 invocations at once (the emulator's
 * Lambda runner with `AWS_LAMBDA_MAX_CONCURRENCY=50`), the bundled shim handler in it, a burst of
 * 50 concurrent invocations every 20 simulated minutes for 3 simulated hours (the emulator's clock,
 * which the environment follows). Reported: failed invocations and AssumeRole calls on the hub
 * role. A one-hour session refreshed at call time needs one AssumeRole per hour, plus the first.
 *
 * Goal (issue 8): 0 failed calls, AssumeRole ≤ hours + 1.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ManualClock } from '../emulator';
import { bundleHandlers } from './bundle-size';
import { goalTable } from './goals';
import { HubScenario } from './scenario';
import { formatTable } from './support';
import type { Benchmark } from './support';

/** One burst. */
export interface ConcurrencyBurst {
  /** Simulated minutes since the first burst. */
  readonly minute: number;
  readonly invocations: number;
  readonly failed: number;
  /** AssumeRole calls on the hub role during this burst. */
  readonly assumeRoles: number;
  /** Cold starts among the invocations. */
  readonly coldStarts: number;
}

/** What the multi-concurrency benchmark measured. */
export interface MultiConcurrencyResult {
  readonly concurrency: number;
  readonly hours: number;
  readonly bursts: readonly ConcurrencyBurst[];
}

const FULL = { concurrency: 50, hours: 3, stepMinutes: 20 };
const SMOKE = { concurrency: 3, hours: 1, stepMinutes: 30 };

/**
 * The figures before the work toward the goal: this benchmark against the code of 2026-11-30
 * (`... bench/run.ts multi-concurrency`): the cache's single flight already holds under it.
 */
const BEFORE = { failed: '0', assumeRoles: '4' };

export const multiConcurrency: Benchmark<MultiConcurrencyResult> = {
  name: 'multi-concurrency',
  title: 'one environment, 50 invocations at once every 20 simulated minutes for 3 simulated hours: failures and AssumeRole calls',
  async run(print, options = {}) {
    const plan = options.smoke ? SMOKE : FULL;
    // The figures before were measured at the full size only.
    const before = options.smoke ? { failed: '-', assumeRoles: '-' } : BEFORE;
    const clock = new ManualClock({ ticking: true });
    const scenario = await HubScenario.start({ clock });
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-multi-concurrency-'));
    try {
      const shim = (await bundleHandlers(scratch)).find((b) => b.name === 'shim')!;
      const lambda = await scenario.startLambda(path.dirname(shim.file), { AWS_LAMBDA_MAX_CONCURRENCY: String(plan.concurrency) });
      const bursts: ConcurrencyBurst[] = [];
      for (let minute = 0; minute <= plan.hours * 60; minute += plan.stepMinutes) {
        if (minute > 0) clock.advance(plan.stepMinutes * 60_000);
        const counted = scenario.hubAssumeRoleCount();
        const results = await Promise.all(Array.from({ length: plan.concurrency }, () => lambda.invoke({ prompt: 'Hello' })));
        bursts.push({
          minute,
          invocations: results.length,
          failed: results.filter((r) => !r.ok || !(r.result as { text?: string } | null)?.text).length,
          assumeRoles: scenario.hubAssumeRoleCount() - counted,
          coldStarts: results.filter((r) => r.coldStart).length,
        });
      }
      print(`${plan.concurrency} invocations at once in one environment (AWS_LAMBDA_MAX_CONCURRENCY=${plan.concurrency}), ` +
        `every ${plan.stepMinutes} simulated minutes for ${plan.hours} simulated hour(s)`);
      print(formatTable(
        ['simulated minute', 'invocations', 'failed', 'AssumeRole', 'cold starts'],
        bursts.map((b) => [String(b.minute), String(b.invocations), String(b.failed), String(b.assumeRoles), String(b.coldStarts)]),
      ));
      print('');
      const failed = bursts.reduce((sum, b) => sum + b.failed, 0);
      const assumeRoles = bursts.reduce((sum, b) => sum + b.assumeRoles, 0);
      print(goalTable([
        { measure: `multi-concurrency: failed of ${bursts.length * plan.concurrency}`, before: before.failed, now: String(failed), goal: '0', met: failed === 0 },
        {
          measure: `multi-concurrency: AssumeRole in ${plan.hours} h`,
          before: before.assumeRoles,
          now: String(assumeRoles),
          goal: `≤ ${plan.hours + 1}`,
          met: assumeRoles <= plan.hours + 1,
        },
      ]));
      return { concurrency: plan.concurrency, hours: plan.hours, bursts };
    } finally {
      await scenario.stop();
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  },
};
