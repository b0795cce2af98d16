import * as v8 from 'node:v8';
import * as vm from 'node:vm';
/**
 * What every benchmark shares: summary statistics, ratios, aligned tables, and interleaved
 * measurement (baseline and candidate take turns, so a noisy neighbour slows both alike).
 *
 * Everything above {@link measureInterleaved} is a pure function. Timing only ever appears as
 * ratios between variants measured side by side in the same run, never against a fixed threshold.
 */

/** Median, p90 and friends of a set of samples. */
export interface Summary {
  /** How many samples. */
  readonly n: number;
  readonly min: number;
  readonly median: number;
  readonly p90: number;
  readonly max: number;
  readonly mean: number;
}

/**
 * The `q` quantile (0 ≤ q ≤ 1) of ascending `sorted` samples, interpolated linearly between the
 * two nearest ranks (the method of R's default, type 7, and of numpy's default).
 */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error('quantile: no samples');
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile: q must be in [0, 1], got ${q}`);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

/** Summarizes samples (in any order). */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('summarize: no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    min: sorted[0],
    median: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    max: sorted[sorted.length - 1],
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
  };
}

/** `candidate / baseline`; `NaN` when the baseline is zero. */
export function ratio(candidate: number, baseline: number): number {
  return baseline === 0 ? NaN : candidate / baseline;
}

/** A ratio as `1.03x` (three significant digits below 10, fewer above); `n/a` when not finite. */
export function formatRatio(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value >= 100) return `${value.toFixed(0)}x`;
  if (value >= 10) return `${value.toFixed(1)}x`;
  if (value >= 0.01) return `${value.toFixed(2)}x`;
  return `${value.toPrecision(2)}x`;
}

/** Milliseconds in the unit that suits them: `850 ns`, `12.3 µs`, `4.56 ms`, `1.23 s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  const abs = Math.abs(ms);
  if (abs < 0.001) return `${(ms * 1e6).toFixed(0)} ns`;
  if (abs < 1) return `${(ms * 1e3).toPrecision(3)} µs`;
  if (abs < 1000) return `${ms.toPrecision(3)} ms`;
  return `${(ms / 1000).toPrecision(3)} s`;
}

/** A byte count with thousands separators: `23,456 B`. */
export function formatBytes(bytes: number): string {
  return `${Math.round(bytes).toLocaleString('en-US')} B`;
}

/** A signed byte difference: `+16,210 B`, `-12 B`, `0 B`. */
export function formatByteDelta(bytes: number): string {
  return bytes > 0 ? `+${formatBytes(bytes)}` : formatBytes(bytes);
}

/** One column of a {@link formatTable} table. */
export interface Column {
  readonly header: string;
  /** @default 'left' for the first column, 'right' for the others */
  readonly align?: 'left' | 'right';
}

/**
 * An aligned plain-text table: the header, a rule of dashes, one line per row; columns separated
 * by two spaces, trailing spaces trimmed. Missing cells are empty.
 */
export function formatTable(columns: readonly (Column | string)[], rows: readonly (readonly string[])[]): string {
  const cols = columns.map((c, i): Required<Column> => {
    const column = typeof c === 'string' ? { header: c } : c;
    return { header: column.header, align: column.align ?? (i === 0 ? 'left' : 'right') };
  });
  const widths = cols.map((c, i) => Math.max(c.header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cols
    .map((c, i) => (c.align === 'left' ? (cells[i] ?? '').padEnd(widths[i]) : (cells[i] ?? '').padStart(widths[i])))
    .join('  ')
    .trimEnd();
  return [line(cols.map((c) => c.header)), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * The order variants run in, round by round: each round runs every variant once, and round `r`
 * starts with variant `r mod count` (A B, B A, A B, … for two), so no variant always goes first
 * (right after the previous round's setup) or always last.
 */
export function interleavedOrder(count: number, rounds: number): number[][] {
  if (!Number.isInteger(count) || count < 1) throw new Error(`interleavedOrder: count must be a positive integer, got ${count}`);
  if (!Number.isInteger(rounds) || rounds < 0) throw new Error(`interleavedOrder: rounds must be a non-negative integer, got ${rounds}`);
  return Array.from({ length: rounds }, (_, round) => Array.from({ length: count }, (__, i) => (round + i) % count));
}

/** One side of a comparison. */
export interface Variant {
  readonly name: string;
  /** Runs before each sample, untimed (a fresh client, a cleared cache). */
  readonly prepare?: () => unknown;
  /** The timed work. */
  readonly run: () => unknown;
  /** Runs after each sample, untimed. */
  readonly cleanup?: () => unknown;
}

/** How {@link measureInterleaved} measures. */
export interface MeasureOptions {
  /** Rounds run first and discarded (JIT, connection pools, module caches). */
  readonly warmup: number;
  /** Rounds that count: one sample per variant each. */
  readonly rounds: number;
  /**
   * Runs of `run` per sample; a sample is their total time divided by `batch`. For work too short
   * to time one at a time.
   * @default 1
   */
  readonly batch?: number;
  /**
   * The timer, in milliseconds.
   * @default a monotonic high-resolution timer
   */
  readonly now?: () => number;
}

/** The samples of one variant, in milliseconds per run. */
export interface Measured {
  readonly name: string;
  readonly samples: readonly number[];
  readonly summary: Summary;
}

/** A monotonic timer in milliseconds, with sub-microsecond resolution. */
export function hrtimeMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * Measures variants side by side: `warmup` discarded rounds, then `rounds` rounds, each running
 * every variant once in {@link interleavedOrder}. `prepare` and `cleanup` are not timed.
 */
export async function measureInterleaved(variants: readonly Variant[], options: MeasureOptions): Promise<Measured[]> {
  const batch = options.batch ?? 1;
  if (!Number.isInteger(batch) || batch < 1) throw new Error(`measureInterleaved: batch must be a positive integer, got ${batch}`);
  const now = options.now ?? hrtimeMs;
  const samples = variants.map((): number[] => []);
  const order = interleavedOrder(variants.length, options.warmup + options.rounds);
  for (const [round, indexes] of order.entries()) {
    for (const index of indexes) {
      const variant = variants[index];
      await variant.prepare?.();
      const start = now();
      for (let i = 0; i < batch; i++) await variant.run();
      const elapsed = now() - start;
      await variant.cleanup?.();
      if (round >= options.warmup) samples[index].push(elapsed / batch);
    }
  }
  return variants.map((variant, i) => ({ name: variant.name, samples: samples[i], summary: summarize(samples[i]) }));
}

/** Options of {@link timingTable}. */
export interface TimingTableOptions {
  /** What one sample times, for the headers (`median per call`). */
  readonly unit?: string;
  /** The index of the variant the ratios divide by. @default 0 */
  readonly reference?: number;
  /** The reference's name in the ratio headers (`median ÷ baseline`). @default 'baseline' */
  readonly referenceLabel?: string;
}

/**
 * The usual timing table: one row per variant with its median and p90 per run, and both as ratios
 * to the reference variant (the first, unless told otherwise).
 */
export function timingTable(measured: readonly Measured[], options: TimingTableOptions = {}): string {
  const reference = measured[options.reference ?? 0];
  const label = options.referenceLabel ?? 'baseline';
  const per = options.unit ? ` per ${options.unit}` : '';
  return formatTable(
    ['variant', 'samples', `median${per}`, `p90${per}`, `median ÷ ${label}`, `p90 ÷ ${label}`],
    measured.map((m) => [
      m.name,
      String(m.summary.n),
      formatDuration(m.summary.median),
      formatDuration(m.summary.p90),
      formatRatio(ratio(m.summary.median, reference.summary.median)),
      formatRatio(ratio(m.summary.p90, reference.summary.p90)),
    ]),
  );
}

/** Where a benchmark writes its report. */
export type Print = (text: string) => void;

/** A benchmark `bench/run.ts` can run. */
export interface Benchmark<Result = unknown> {
  /** The name on the command line. */
  readonly name: string;
  /** One line: what is compared with what. */
  readonly title: string;
  /** Runs with the full iteration counts (`smoke`: the smallest counts that still run every path). */
  run(print: Print, options?: { readonly smoke?: boolean }): Promise<Result>;
}

let gc: (() => void) | undefined;

/**
 * A full garbage collection, so a sample does not pay for the garbage of the one before it (V8's
 * `gc`, made available at run time without `--expose-gc`).
 */
export function collectGarbage(): void {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
}
