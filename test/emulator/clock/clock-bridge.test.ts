import { ChildProcess, spawn } from 'child_process';
import { writeFileSync } from 'fs';
import { join } from 'path';
import { createInterface, Interface } from 'readline';
import { ClockBridge, ManualClock } from '../../../emulator';
import { formatClockRecord, parseClockRecord } from '../../../emulator/clock/clock-file';
import { temporaryDirectory } from '../fixtures';

const START = Date.UTC(2030, 5, 1, 12, 0, 0);

/** A child that answers each line on stdin with what its Date says. */
const PROBE = `
const lines = require('readline').createInterface({ input: process.stdin });
lines.on('line', () => {
  const now = Date.now();
  const made = new Date();
  console.log(JSON.stringify({
    now, made: made.getTime(), iso: made.toISOString(), called: Date(), epoch: new Date(0).getTime(),
    isDate: made instanceof Date, utc: Date.UTC(2000, 0, 1), parsed: Date.parse('2000-01-01T00:00:00Z'),
  }));
});
`;

interface Probe {
  readonly child: ChildProcess;
  readonly lines: Interface;
  ask(): Promise<{ now: number; made: number; iso: string; called: string; epoch: number; isDate: boolean; utc: number; parsed: number }>;
}

function startProbe(bridge: ClockBridge): Probe {
  const directory = temporaryDirectory('clock-probe');
  writeFileSync(join(directory, 'probe.js'), PROBE);
  const child = spawn(process.execPath, [...bridge.nodeOptions(), join(directory, 'probe.js')], {
    env: { PATH: process.env.PATH ?? '', ...bridge.environment() },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const answers: Array<(line: string) => void> = [];
  lines.on('line', (line) => answers.shift()?.(line));
  return {
    child,
    lines,
    ask: () => new Promise((resolve) => {
      answers.push((line) => resolve(JSON.parse(line)));
      child.stdin!.write('?\n');
    }),
  };
}

let bridge: ClockBridge | undefined;
let probe: Probe | undefined;

afterEach(() => {
  probe?.child.kill();
  probe = undefined;
  bridge?.close();
  bridge = undefined;
});

test('a child process reads the emulator\'s standing clock, and sees it move at once', async () => {
  // GIVEN
  const clock = new ManualClock({ start: START });
  bridge = ClockBridge.create(clock);
  probe = startProbe(bridge);

  // WHEN
  const before = await probe.ask();
  clock.advance(3 * 3600_000);
  const after = await probe.ask();

  // THEN
  expect(before).toMatchObject({ now: START, made: START, iso: '2030-06-01T12:00:00.000Z', isDate: true, epoch: 0, utc: 946684800000, parsed: 946684800000 });
  expect(before.called).toContain('2030');
  expect(after.now - before.now).toBe(3 * 3600_000);
});

test('a ticking clock keeps ticking in the child', async () => {
  const clock = new ManualClock({ start: START, ticking: true });
  bridge = ClockBridge.create(clock);
  probe = startProbe(bridge);
  const first = await probe.ask();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const second = await probe.ask();
  expect(first.now).toBeGreaterThanOrEqual(START);
  expect(first.now).toBeLessThan(START + 10_000);
  expect(second.now - first.now).toBeGreaterThanOrEqual(40);
});

test('the clock file record survives a round trip, and a torn one is refused', () => {
  const record = { anchor: START, realAnchor: Date.now(), ticking: false };
  const bytes = formatClockRecord(record);
  expect(bytes).toHaveLength(64);
  expect(parseClockRecord(bytes)).toEqual(record);
  const torn = Buffer.from(bytes);
  torn.write('9', 5, 'latin1');
  expect(parseClockRecord(torn)).toBeUndefined();
  expect(parseClockRecord(Buffer.alloc(64, ' '))).toBeUndefined();
});
