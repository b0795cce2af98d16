import {
  formatByteDelta,
  formatBytes,
  formatDuration,
  formatRatio,
  formatTable,
  interleavedOrder,
  measureInterleaved,
  quantile,
  ratio,
  summarize,
  timingTable,
} from '../../bench/support';
import type { Measured } from '../../bench/support';

describe('quantile', () => {
  test.each<[number[], number, number]>([
    [[1, 2, 3, 4], 0, 1],
    [[1, 2, 3, 4], 0.5, 2.5],
    [[1, 2, 3, 4], 0.9, 3.7],
    [[1, 2, 3, 4], 1, 4],
    [[7], 0.9, 7],
    [[10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110], 0.9, 100],
  ])('of %j at %d is %d (linear between ranks)', (sorted, q, expected) => {
    expect(quantile(sorted, q)).toBeCloseTo(expected, 10);
  });

  test.each<[number[], number, RegExp]>([
    [[], 0.5, /no samples/],
    [[1], -0.1, /q must be in \[0, 1\]/],
    [[1], 1.5, /q must be in \[0, 1\]/],
    [[1], NaN, /q must be in \[0, 1\]/],
  ])('refuses %j at %d', (sorted, q, message) => {
    expect(() => quantile(sorted, q)).toThrow(message);
  });
});

describe('summarize', () => {
  test('sorts a copy and reports median, p90, min, max and mean', () => {
    // GIVEN
    const samples = [5, 1, 4, 2, 3];

    // WHEN
    const summary = summarize(samples);

    // THEN
    expect(summary).toEqual({ n: 5, min: 1, median: 3, p90: 4.6, max: 5, mean: 3 });
    expect(samples).toEqual([5, 1, 4, 2, 3]);
  });

  test('refuses no samples', () => {
    expect(() => summarize([])).toThrow(/no samples/);
  });
});

describe('ratios and units', () => {
  test.each<[number, number, string]>([
    [1, 1, '1.00x'],
    [1.034, 1, '1.03x'],
    [150, 1, '150x'],
    [12.34, 1, '12.3x'],
    [1, 150, '0.0067x'],
    [1, 0, 'n/a'],
  ])('%d ÷ %d reads %s', (candidate, baseline, text) => {
    expect(formatRatio(ratio(candidate, baseline))).toBe(text);
  });

  test.each<[number, string]>([
    [0.0005, '500 ns'],
    [0.0123, '12.3 µs'],
    [0.5, '500 µs'],
    [4.561, '4.56 ms'],
    [1234, '1.23 s'],
    [NaN, 'n/a'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  test('bytes carry thousands separators, and deltas a sign', () => {
    expect(formatBytes(23456)).toBe('23,456 B');
    expect(formatByteDelta(16210)).toBe('+16,210 B');
    expect(formatByteDelta(-12)).toBe('-12 B');
    expect(formatByteDelta(0)).toBe('0 B');
  });
});

describe('formatTable', () => {
  test('aligns the first column left and the others right, under a rule', () => {
    expect(formatTable(['variant', 'n', { header: 'note', align: 'left' }], [['plain', '200', 'a'], ['hub.client()', '7', 'bb']])).toBe([
      'variant         n  note',
      '------------  ---  ----',
      'plain         200  a',
      'hub.client()    7  bb',
    ].join('\n'));
  });

  test('leaves missing cells empty', () => {
    expect(formatTable(['a', 'b'], [['x']])).toBe(['a  b', '-  -', 'x'].join('\n'));
  });
});

describe('interleavedOrder', () => {
  test('alternates which of two variants goes first', () => {
    expect(interleavedOrder(2, 4)).toEqual([[0, 1], [1, 0], [0, 1], [1, 0]]);
  });

  test('rotates three variants so each leads in turn', () => {
    expect(interleavedOrder(3, 4)).toEqual([[0, 1, 2], [1, 2, 0], [2, 0, 1], [0, 1, 2]]);
  });

  test.each<[number, number, RegExp]>([
    [0, 1, /count must be a positive integer/],
    [1.5, 1, /count must be a positive integer/],
    [2, -1, /rounds must be a non-negative integer/],
  ])('refuses count %d and rounds %d', (count, rounds, message) => {
    expect(() => interleavedOrder(count, rounds)).toThrow(message);
  });
});

describe('measureInterleaved', () => {
  /** A fake timer that only moves when a variant's work moves it. */
  function fakeTimer(): { now: () => number; advance: (ms: number) => void } {
    let time = 0;
    return { now: () => time, advance: (ms) => (time += ms) };
  }

  test('interleaves, keeps prepare and cleanup out of the samples, and drops the warm-up rounds', async () => {
    // GIVEN
    const timer = fakeTimer();
    const log: string[] = [];
    const variant = (name: string, cost: number) => ({
      name,
      prepare: () => {
        log.push(`prepare ${name}`);
        timer.advance(1000);
      },
      run: async () => {
        log.push(`run ${name}`);
        timer.advance(cost);
      },
      cleanup: () => {
        log.push(`cleanup ${name}`);
        timer.advance(1000);
      },
    });

    // WHEN
    const measured = await measureInterleaved([variant('A', 2), variant('B', 5)], { warmup: 1, rounds: 2, now: timer.now });

    // THEN
    expect(log).toEqual([
      'prepare A', 'run A', 'cleanup A', 'prepare B', 'run B', 'cleanup B', // warm-up
      'prepare B', 'run B', 'cleanup B', 'prepare A', 'run A', 'cleanup A',
      'prepare A', 'run A', 'cleanup A', 'prepare B', 'run B', 'cleanup B',
    ]);
    expect(measured.map((m) => [m.name, m.samples])).toEqual([['A', [2, 2]], ['B', [5, 5]]]);
    expect(measured[1].summary).toMatchObject({ n: 2, median: 5, p90: 5 });
  });

  test('divides a batch by its size', async () => {
    // GIVEN
    const timer = fakeTimer();
    let runs = 0;

    // WHEN
    const [measured] = await measureInterleaved([{ name: 'A', run: () => { runs++; timer.advance(3); } }], { warmup: 0, rounds: 3, batch: 4, now: timer.now });

    // THEN
    expect(runs).toBe(12);
    expect(measured.samples).toEqual([3, 3, 3]);
  });

  test('refuses a batch that is not a positive integer', async () => {
    await expect(measureInterleaved([{ name: 'A', run: () => undefined }], { warmup: 0, rounds: 1, batch: 0 })).rejects.toThrow(/batch must be a positive integer/);
  });
});

describe('timingTable', () => {
  const measured = (name: string, samples: number[]): Measured => ({ name, samples, summary: summarize(samples) });

  test('prints median and p90 per run and their ratios to the reference', () => {
    // GIVEN
    const rows = [measured('plain', [2, 2, 2]), measured('hub.client()', [3, 3, 3])];

    // WHEN
    const text = timingTable(rows, { unit: 'call', referenceLabel: 'plain' });

    // THEN
    expect(text.split('\n')).toEqual([
      'variant       samples  median per call  p90 per call  median ÷ plain  p90 ÷ plain',
      '------------  -------  ---------------  ------------  --------------  -----------',
      'plain               3          2.00 ms       2.00 ms           1.00x        1.00x',
      'hub.client()        3          3.00 ms       3.00 ms           1.50x        1.50x',
    ]);
  });

  test('divides by another reference when told', () => {
    const text = timingTable([measured('a', [4]), measured('b', [2])], { reference: 1 });
    expect(text).toContain('2.00x');
    expect(text).toContain('median ÷ baseline');
  });
});
