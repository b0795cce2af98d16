/**
 * The clock file shared by the emulator's process and its child processes: its name in the
 * environment, and the fixed-size record format (with a checksum, so a read that races a write is
 * detected instead of misread).
 */

/** The environment variable naming the clock file. */
export const CLOCK_FILE_ENV = 'EMULATOR_CLOCK_FILE';
/** The clock file's size in bytes. */
export const CLOCK_RECORD_BYTES = 64;

/** One published clock state. */
export interface ClockRecord {
  readonly anchor: number;
  readonly realAnchor: number;
  readonly ticking: boolean;
}

/** The checksum that detects a torn read. */
export function clockChecksum(anchor: number, realAnchor: number, ticking: boolean): number {
  return (anchor % 1_000_000_007 + realAnchor % 1_000_000_007 + (ticking ? 1 : 0)) % 1_000_000_007;
}

/** `v1 <anchor> <realAnchor> <0|1> <checksum>`, space-padded to {@link CLOCK_RECORD_BYTES}. */
export function formatClockRecord(record: ClockRecord): Buffer {
  const text = `v1 ${Math.round(record.anchor)} ${Math.round(record.realAnchor)} ${record.ticking ? 1 : 0} ${clockChecksum(Math.round(record.anchor), Math.round(record.realAnchor), record.ticking)}`;
  return Buffer.from(text.padEnd(CLOCK_RECORD_BYTES - 1, ' ') + '\n', 'latin1');
}

/** Parses a record; `undefined` for a torn or foreign one. */
export function parseClockRecord(bytes: Buffer): ClockRecord | undefined {
  const parts = bytes.toString('latin1').trim().split(/\s+/);
  if (parts.length !== 5 || parts[0] !== 'v1') {
    return undefined;
  }
  const [anchor, realAnchor, ticking, checksum] = parts.slice(1).map(Number);
  if (![anchor, realAnchor, checksum].every(Number.isFinite) || (ticking !== 0 && ticking !== 1)) {
    return undefined;
  }
  return clockChecksum(anchor, realAnchor, ticking === 1) === checksum ? { anchor, realAnchor, ticking: ticking === 1 } : undefined;
}
