/**
 * The shim handler (`shim.ts`: the session and client obtained at module scope, where a prefetch of
 * AssumeRole would start) with other INIT work, as `plain-init-work.ts`: then `BENCH_INIT_WORK_MS`
 * milliseconds of I/O wait, exposed as `ready`. Run as a process by `cold-start-init.ts`.
 */
export { handler } from './shim';

export const ready: Promise<void> = new Promise((resolve) => setTimeout(resolve, Number(process.env.BENCH_INIT_WORK_MS ?? 0)));
