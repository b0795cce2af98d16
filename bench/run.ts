/**
 * `npm run bench`: every benchmark, one after the other, in one process. Name benchmarks to run
 * only those: `BENCH=call-overhead npm run bench`, or
 * `npx ts-node --transpile-only --project bench/tsconfig.json bench/run.ts call-overhead cold-start`.
 */

import { BENCHMARKS as CORE_BENCHMARKS } from './benchmarks';
import { burst } from './burst';
import { coldStartInit } from './cold-start-init';
import { multiConcurrency } from './multi-concurrency';
import { stsFailover } from './sts-failover';
import { formatDuration, hrtimeMs } from './support';
import type { Benchmark } from './support';
import { synthScale } from './synth-scale';

/** The benchmarks of `benchmarks.ts`, then the scale benchmarks of issue 8. */
const BENCHMARKS: readonly Benchmark[] = [
  ...CORE_BENCHMARKS,
  synthScale,
  burst,
  coldStartInit,
  multiConcurrency,
  stsFailover,
];

async function main(argv: readonly string[]): Promise<void> {
  const requested = argv.length > 0 ? argv : (process.env.BENCH ?? '').split(/[\s,]+/).filter((name) => name !== '');
  const unknown = requested.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) {
    throw new Error(`unknown benchmark ${unknown.join(', ')}; the benchmarks are ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  }
  const selected = requested.length > 0 ? BENCHMARKS.filter((b) => requested.includes(b.name)) : BENCHMARKS;
  const print = (text: string): void => {
    process.stdout.write(`${text}\n`);
  };
  print(`node ${process.version}, ${process.platform}/${process.arch}; ratios compare variants measured side by side in this run`);
  const started = hrtimeMs();
  for (const benchmark of selected) {
    const start = hrtimeMs();
    print('');
    print(`== ${benchmark.name}: ${benchmark.title}`);
    print('');
    await benchmark.run(print);
    print(`(${benchmark.name}: ${formatDuration(hrtimeMs() - start)})`);
  }
  print('');
  print(`total: ${formatDuration(hrtimeMs() - started)}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
