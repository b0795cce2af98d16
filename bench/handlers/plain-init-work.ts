/**
 * The plain handler (`plain.ts`, no hub) with other INIT work: `BENCH_INIT_WORK_MS` milliseconds of
 * waiting on I/O at module scope (standing in for loading configuration or secrets), exposed as
 * `ready`, which the runner awaits before the first invocation as Lambda awaits an ES module's
 * top-level await. Run as a process by `cold-start-init.ts`.
 */
export { handler } from './plain';

export const ready: Promise<void> = new Promise((resolve) => setTimeout(resolve, Number(process.env.BENCH_INIT_WORK_MS ?? 0)));
