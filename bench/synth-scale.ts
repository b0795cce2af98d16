/**
 * Synth scale: `cdk synth` time of an app with `BedrockHubAccess.applyToAll` against the same app
 * without it, for 240 functions in one stack and for 10 stacks of 200 functions. A third variant
 * writes the same template by hand (the variable, the shared policy): what the template itself
 * costs, whatever writes it. Construction and
 * synthesis are timed together (both are what `cdk synth` spends), variants interleaved, medians
 * compared, each sample after a full garbage collection. The functions use inline code, so no
 * bundling is timed.
 *
 * Goal (issue 8): construct cost per function stays linear; with `applyToAll` ≤ 1.10x without.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BedrockHubAccess } from '../src';
import { goalTable } from './goals';
import type { GoalRow } from './goals';
import { collectGarbage, formatRatio, measureInterleaved, ratio, timingTable } from './support';
import type { Benchmark, Measured } from './support';

const HUB_ROLE_ARN = 'arn:aws:iam::222222222222:role/BedrockHubRole';

/** An app shape: how many stacks of how many functions. */
export interface AppShape {
  readonly stacks: number;
  readonly functionsPerStack: number;
}

/** What the synth-scale benchmark measured, per app shape. */
export interface SynthScaleResult {
  readonly shape: AppShape;
  /** Without, with `applyToAll`, then the hand-written equivalent. */
  readonly measured: readonly Measured[];
  /** The resources of the synthesized stacks, without, with and hand-written (a check that the apps were built). */
  readonly resources: readonly [number, number, number];
}

const FULL = {
  shapes: [{ stacks: 1, functionsPerStack: 240 }, { stacks: 10, functionsPerStack: 200 }],
  counts: [{ warmup: 2, rounds: 11 }, { warmup: 1, rounds: 7 }],
};
const SMOKE = {
  shapes: [{ stacks: 1, functionsPerStack: 3 }, { stacks: 2, functionsPerStack: 2 }],
  counts: [{ warmup: 0, rounds: 1 }, { warmup: 0, rounds: 1 }],
};

/**
 * The figures before the work toward the goal: this benchmark against the code of 2026-11-30
 * (`npx ts-node --transpile-only --project bench/tsconfig.json bench/run.ts synth-scale`, node 20,
 * 2 shared cores under load; a run under heavier load gave 2.38x for 10 × 200).
 */
const BEFORE: Readonly<Record<string, string>> = {
  '1x240': '1.20x',
  '10x200': '1.28x',
};

/**
 * What the app's functions get: nothing; the template `applyToAll` writes, by hand (the variable on
 * each function, one shared AssumeRole policy per stack attached to each role, no construct); or
 * `applyToAll` itself.
 */
export type SynthVariant = 'without' | 'hand-written' | 'applyToAll';

/** Builds and synthesizes the app; returns its resource count. */
export function synthApp(shape: AppShape, variant: SynthVariant, outdir: string): number {
  const app = new App({ outdir });
  for (let s = 0; s < shape.stacks; s++) {
    const stack = new Stack(app, `Workload${s}`, { env: { account: '111111111111', region: 'us-east-1' } });
    const shared = variant === 'hand-written'
      ? new iam.Policy(stack, 'AssumeHubRolePolicy', {
        statements: [new iam.PolicyStatement({ sid: 'AssumeBedrockHubRole', actions: ['sts:AssumeRole'], resources: [HUB_ROLE_ARN] })],
      })
      : undefined;
    for (let f = 0; f < shape.functionsPerStack; f++) {
      const fn = new lambda.Function(stack, `Fn${f}`, {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => ({});'),
        environment: shared ? { BEDROCK_ASSUME_ROLE_ARN: HUB_ROLE_ARN } : undefined,
      });
      if (shared) fn.role!.attachInlinePolicy(shared);
    }
    if (variant === 'applyToAll') new BedrockHubAccess(stack, 'BedrockHub', { hubRoleArn: HUB_ROLE_ARN }).applyToAll(stack);
  }
  const assembly = app.synth();
  return assembly.stacks.reduce((sum, stack) => sum + Object.keys((stack.template as { Resources?: object }).Resources ?? {}).length, 0);
}

const label = (shape: AppShape): string => `${shape.stacks}x${shape.functionsPerStack}`;
const describe = (shape: AppShape): string => (shape.stacks === 1
  ? `${shape.functionsPerStack} functions in one stack`
  : `${shape.stacks} stacks of ${shape.functionsPerStack} functions`);

export const synthScale: Benchmark<SynthScaleResult[]> = {
  name: 'synth-scale',
  title: 'cdk synth with BedrockHubAccess.applyToAll vs the same app without it, at 240 and 10 × 200 functions',
  async run(print, options = {}) {
    const plan = options.smoke ? SMOKE : FULL;
    const results: SynthScaleResult[] = [];
    const goals: GoalRow[] = [];
    for (const [i, shape] of plan.shapes.entries()) {
      const counts = plan.counts[i];
      const resources: [number, number, number] = [0, 0, 0];
      const variant = (name: string, kind: SynthVariant, slot: 0 | 1 | 2) => {
        let outdir = '';
        return {
          name,
          prepare: () => {
            outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
            // Each sample starts from a collected heap: otherwise one variant pays for the other's garbage.
            collectGarbage();
          },
          run: () => {
            resources[slot] = synthApp(shape, kind, outdir);
          },
          cleanup: () => fs.rmSync(outdir, { recursive: true, force: true }),
        };
      };
      const measured = await measureInterleaved([
        variant('without BedrockHubAccess', 'without', 0),
        variant('with applyToAll', 'applyToAll', 1),
        variant('hand-written equivalent', 'hand-written', 2),
      ], counts);
      print(`${describe(shape)} (${resources[0]} resources without, ${resources[1]} with, ${resources[2]} hand-written): ` +
        `${counts.warmup} warm-up + ${counts.rounds} rounds, interleaved`);
      print(timingTable(measured, { unit: 'synth', referenceLabel: 'without' }));
      print('');
      const now = ratio(measured[1].summary.median, measured[0].summary.median);
      goals.push({ measure: `synth, ${describe(shape)} ÷ without`, before: options.smoke ? '-' : BEFORE[label(shape)] ?? 'n/a', now: formatRatio(now), goal: '≤ 1.10x', met: now <= 1.10 });
      goals.push({
        measure: `synth, ${describe(shape)}, the same template by hand ÷ without`,
        before: '-',
        now: formatRatio(ratio(measured[2].summary.median, measured[0].summary.median)),
        goal: '(printed)',
      });
      results.push({ shape, measured, resources });
    }
    print(goalTable(goals));
    return results;
  },
};
