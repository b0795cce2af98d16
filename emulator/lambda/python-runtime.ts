/**
 * Python handlers, run the way the Node bundle is: a warm child process of the machine's Python (or
 * the virtualenv given, standing in for what the Lambda Python runtime provides: boto3 and botocore)
 * with the function's environment, the code directory and the layers on `PYTHONPATH`, and the
 * emulator's clock. The child runs `python/bootstrap.py`, which speaks the messages of `protocol.ts`
 * over the same IPC channel `fork` gives a `node` child (one JSON object per line).
 *
 * The Python loop serves one invocation at a time: invocations the runner delivers together (with
 * `AWS_LAMBDA_MAX_CONCURRENCY`) are served in turn.
 */
import { ChildProcess, spawn } from 'child_process';
import { resolve } from 'path';
import { INVOCATION_END_MARKER } from './protocol';

/** How to run Python handlers. */
export interface PythonRuntimeOptions {
  /**
   * The Python interpreter: what the Lambda runtime provides (boto3, botocore) must be importable
   * from it, e.g. a virtualenv's `bin/python`.
   * @default 'python3'
   */
  readonly executable?: string;
  /**
   * Directories put on `sys.path` after the code directory, as Lambda does with its layers'
   * `python/` folders.
   * @default none
   */
  readonly path?: readonly string[];
}

/** Whether `runtime` (a template's `Runtime`, e.g. `python3.13`) is a Python runtime. */
export function isPythonRuntime(runtime: string | undefined): boolean {
  return runtime !== undefined && /^python\d/.test(runtime);
}

/** What {@link spawnPythonRuntime} needs. */
export interface PythonChildOptions {
  /** The code directory (the function's asset). */
  readonly code: string;
  /** `<module>.<function>`, e.g. `handler.handler`. */
  readonly handler: string;
  /** The whole environment of the child (the function's, the clock's, the runner's isolation). */
  readonly environment: Readonly<Record<string, string>>;
  readonly python?: PythonRuntimeOptions;
}

/** Starts the Python runtime loop for a handler, with the runner's IPC channel. */
export function spawnPythonRuntime(options: PythonChildOptions): ChildProcess {
  const bootstrap = resolve(__dirname, 'python', 'bootstrap.py');
  return spawn(options.python?.executable ?? 'python3', ['-u', bootstrap, options.handler, INVOCATION_END_MARKER], {
    cwd: options.code,
    env: {
      ...options.environment,
      PYTHONPATH: [resolve(options.code), ...(options.python?.path ?? []).map((p) => resolve(p))].join(':'),
      PYTHONUNBUFFERED: '1',
      // Nothing is written next to the handler or the layers.
      PYTHONDONTWRITEBYTECODE: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
  });
}
