/**
 * STS region failover: the first call of a fresh hub session (AssumeRole, then Converse) when the
 * primary region's STS answers 503 or never answers, with `BEDROCK_ASSUME_ROLE_STS_REGIONS`
 * naming a fallback region, against the same call with STS healthy. The emulator fails only
 * requests signed for the primary region (a fault rule with a region).
 *
 * Goal (issue 8): with the primary region's STS down, 0 failed calls, and the first call's added
 * latency at most one connection timeout (`STS_CONNECTION_TIMEOUT_MS`).
 */

import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { getBedrockHubSession, resetBedrockHubSessions } from '../lambda-shim';
import { goalTable } from './goals';
import { HubScenario, MODEL_ID, REGION } from './scenario';
import { formatDuration, formatTable, measureInterleaved, summarize } from './support';
import type { Benchmark, Variant } from './support';
import type { FaultRule } from '../emulator';
import { STS_CONNECTION_TIMEOUT_MS } from '../lambda-shim/assume-role';
import { ENV } from '../src/contract';

const STS_REGIONS_ENV = ENV.STS_REGIONS;

/** The region tried after the primary one. */
export const FALLBACK_REGION = 'us-west-2';

/** One variant's first calls. */
export interface FailoverMeasured {
  readonly name: string;
  /** Milliseconds of each first call, failed or not. */
  readonly samples: readonly number[];
  readonly failed: number;
  /** Failures by the error's `layer` (shim errors) or name. */
  readonly failures: Readonly<Record<string, number>>;
}

const FULL = { warmup: 1, rounds: 5 };
const SMOKE = { warmup: 0, rounds: 1 };

/**
 * The figures before the work toward the goal: this benchmark against the code of 2026-11-30
 * (`... bench/run.ts sts-failover`), which reads no region list: every call with the primary down fails.
 */
const BEFORE = { failed: '10', addedMs: '7.00 s' };

export const stsFailover: Benchmark<FailoverMeasured[]> = {
  name: 'sts-failover',
  title: `first call with the primary region's STS down (503, or no answer), ${STS_REGIONS_ENV}=${REGION},${FALLBACK_REGION}`,
  async run(print, options = {}) {
    const counts = options.smoke ? SMOKE : FULL;
    const scenario = await HubScenario.start();
    try {
      const env = { ...scenario.env, [STS_REGIONS_ENV]: `${REGION},${FALLBACK_REGION}` };
      const sides: { name: string; fault?: FaultRule }[] = [
        { name: 'STS healthy' },
        { name: `${REGION} STS answers 503`, fault: { service: 'sts', region: REGION, kind: 'server-error', status: 503 } },
        { name: `${REGION} STS never answers`, fault: { service: 'sts', region: REGION, kind: 'hang' } },
      ];
      const results = sides.map((side) => ({ name: side.name, samples: [] as number[], failed: 0, failures: {} as Record<string, number> }));
      let remove: (() => void) | undefined;
      let client: BedrockRuntimeClient | undefined;
      let round = 0;
      await measureInterleaved(sides.map((side, i): Variant => ({
        name: side.name,
        prepare: () => {
          resetBedrockHubSessions();
          remove = side.fault && scenario.injectFault(side.fault);
          client = getBedrockHubSession({ env, masterCredentials: scenario.masterCredentials })
            .client(BedrockRuntimeClient, { endpoint: scenario.endpoint, region: REGION });
        },
        run: async () => {
          const started = performance.now();
          try {
            await client!.send(new ConverseCommand({ modelId: MODEL_ID, messages: [{ role: 'user', content: [{ text: 'Hello' }] }] }));
          } catch (error) {
            if (round >= counts.warmup * sides.length) {
              const name = (error as { layer?: string; name?: string }).layer ?? (error as Error).name ?? 'Error';
              results[i].failed++;
              results[i].failures[name] = (results[i].failures[name] ?? 0) + 1;
            }
          } finally {
            if (round++ >= counts.warmup * sides.length) results[i].samples.push(performance.now() - started);
          }
        },
        cleanup: () => {
          remove?.();
          client?.destroy();
          resetBedrockHubSessions();
        },
      })), counts);

      const healthy = summarize(results[0].samples).median;
      print(`a fresh hub session's first call (AssumeRole + Converse) per sample: ${counts.warmup} warm-up + ${counts.rounds} rounds, interleaved`);
      print(formatTable(
        ['STS', 'samples', 'failed', { header: 'failures', align: 'left' }, 'first call median', 'added vs healthy'],
        results.map((r) => {
          const m = summarize(r.samples).median;
          return [r.name, String(r.samples.length), String(r.failed),
            Object.entries(r.failures).map(([k, v]) => `${k}: ${v}`).join(', ') || '-', formatDuration(m), formatDuration(m - healthy)];
        }),
      ));
      print('');
      const down = results.slice(1);
      const failed = down.reduce((sum, r) => sum + r.failed, 0);
      const added = Math.max(...down.map((r) => summarize(r.samples).median - healthy));
      const before = options.smoke ? { failed: '-', addedMs: '-' } : BEFORE;
      print(goalTable([
        { measure: `failover: failed first calls of ${down.reduce((sum, r) => sum + r.samples.length, 0)}`, before: before.failed, now: String(failed), goal: '0', met: failed === 0 },
        {
          measure: 'failover: added latency of the first call (worst case)',
          before: before.addedMs,
          now: formatDuration(added),
          goal: `≤ ${formatDuration(STS_CONNECTION_TIMEOUT_MS)}`,
          met: added <= STS_CONNECTION_TIMEOUT_MS,
        },
      ]));
      return results;
    } finally {
      resetBedrockHubSessions();
      await scenario.stop();
    }
  },
};
