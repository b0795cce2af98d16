/**
 * Preload for a child process (`node --require <compiled child-clock.js>`): makes `Date.now()` and
 * `new Date()` follow the emulator's clock, so a bundled Lambda handler run as a child process sees
 * the same time as the emulator that issued its credentials.
 *
 * The parent publishes the clock into a small file (see clock-bridge.ts) and rewrites it on every
 * change; this module reads it synchronously on every `Date.now()` (one `pread` of 64 bytes on a file
 * descriptor kept open), so a clock moved by the test is seen by the very next call, even in the
 * middle of an invocation, with no event-loop turn needed. Reads that race a write fail the checksum
 * and are retried, falling back to the last good reading.
 *
 * This file runs in the child only; esbuild compiles it on demand (it needs node built-ins only).
 */
import { openSync, readSync } from 'fs';
import { CLOCK_FILE_ENV, CLOCK_RECORD_BYTES, ClockRecord, parseClockRecord } from './clock-file';
import { realNow, replaceDate } from './date-patch';

/** Replaces the global `Date` with one whose "now" comes from the clock file. */
export function installChildClock(file: string): void {
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(CLOCK_RECORD_BYTES);
  let last: ClockRecord = { anchor: realNow(), realAnchor: realNow(), ticking: true };
  replaceDate(() => {
    for (let attempt = 0; attempt < 3; attempt++) {
      readSync(fd, buffer, 0, CLOCK_RECORD_BYTES, 0);
      const record = parseClockRecord(buffer);
      if (record) {
        last = record;
        break;
      }
    }
    return last.ticking ? last.anchor + (realNow() - last.realAnchor) : last.anchor;
  });
}

const clockFile = process.env[CLOCK_FILE_ENV];
if (clockFile) {
  installChildClock(clockFile);
}
