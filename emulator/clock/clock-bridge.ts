/**
 * Shares the emulator's clock with child processes.
 *
 * The bridge writes the clock's state (a reading, the wall-clock time it was taken at, and whether
 * the clock ticks) into a 64-byte file and rewrites it whenever a {@link ManualClock} moves. A child
 * started with {@link ClockBridge.nodeOptions} and {@link ClockBridge.environment} loads the
 * child-clock preload, which answers every `Date.now()` / `new Date()` from that file synchronously.
 * Three hours of credential life therefore pass in a child the moment the test calls
 * `clock.advance(3 * 3600_000)`, including in the middle of an invocation.
 *
 * Why a file: a child's `Date.now()` must answer synchronously, so an IPC message or an HTTP endpoint
 * (both asynchronous) could be seen late; a `pread` of a file is synchronous and costs microseconds.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Clock, ManualClock } from './clock';
import { CLOCK_FILE_ENV, formatClockRecord } from './clock-file';
import { realNow } from './date-patch';
import { childScriptPath } from '../lambda/child-scripts';

/** Publishes one clock to child processes. */
export class ClockBridge {
  /** Creates the clock file and keeps it current. */
  public static create(clock: Clock): ClockBridge {
    return new ClockBridge(clock);
  }

  /** The clock file. */
  public readonly file: string;
  private readonly directory: string;
  private readonly fd: number;
  private readonly unsubscribe: () => void;
  private closed = false;

  private constructor(private readonly clock: Clock) {
    this.directory = mkdtempSync(join(tmpdir(), 'aws-emulator-clock-'));
    this.file = join(this.directory, 'clock');
    this.fd = openSync(this.file, 'w+');
    this.publish();
    this.unsubscribe = clock instanceof ManualClock ? clock.onChange(() => this.publish()) : () => undefined;
  }

  /** Rewrites the clock file from the clock's current state. */
  public publish(): void {
    if (this.closed) {
      return;
    }
    const reading = this.clock instanceof ManualClock
      ? this.clock.reading()
      : { anchor: this.clock.now(), realAnchor: realNow(), ticking: true };
    const record = formatClockRecord(reading);
    writeSync(this.fd, record, 0, record.length, 0);
  }

  /** The environment variables a child needs (the clock file's path). */
  public environment(): Record<string, string> {
    return { [CLOCK_FILE_ENV]: this.file };
  }

  /** The `node` options that load the clock preload. */
  public nodeOptions(): string[] {
    return ['--require', childScriptPath('child-clock')];
  }

  /** Stops publishing and removes the file. */
  public close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.unsubscribe();
    closeSync(this.fd);
    rmSync(this.directory, { recursive: true, force: true });
  }
}
