/**
 * Runs a bundled Lambda handler the way Lambda does: in its own `node` process with the function's
 * environment (the template's variables, the runtime's `AWS_*` variables, the execution-role
 * credentials), kept warm between invocations, one invocation at a time, or up to
 * `AWS_LAMBDA_MAX_CONCURRENCY` at once when the function's environment sets it (Lambda's
 * multi-concurrency: several invocations in one process; their log lines cannot be told apart, so
 * each overlapping invocation's `logs` holds the lines written while it ran).
 *
 * A Python handler (`runtime: 'python3.*'`) runs the same way in a Python process (python-runtime.ts).
 *
 * The child loads the handler once (cold start) and then receives invocations over IPC. Its
 * `Date` follows the emulator's clock through the clock bridge. A timeout or a crash ends the
 * environment; the next invocation starts a new one (another cold start), as in Lambda.
 */
import { ChildProcess, fork } from 'child_process';
import { randomUUID } from 'crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, resolve } from 'path';
import { performance } from 'perf_hooks';
import { createInterface } from 'readline';
import { childScriptPath } from './child-scripts';
import { INVOCATION_END_MARKER, InvokeMessage, LambdaErrorPayload, RuntimeMessage } from './protocol';
import { isPythonRuntime, PythonRuntimeOptions, spawnPythonRuntime } from './python-runtime';
import type { ClockBridge } from '../clock/clock-bridge';

/** Options for {@link LambdaRunner.start}. */
export interface LambdaRunnerOptions {
  /** The bundled handler: a `.js`/`.mjs`/`.cjs` file, or the asset directory holding it. */
  readonly code: string;
  /** `<module>.<export>`. @default 'index.handler' */
  readonly handler?: string;
  /** The environment of the function (see `AwsEmulator.lambdaEnvironment`). Nothing else from the parent leaks in. */
  readonly environment: Readonly<Record<string, string>>;
  /** Called before every cold start instead of reusing `environment` (fresh credentials, as Lambda issues). */
  readonly environmentForColdStart?: () => Readonly<Record<string, string>> | Promise<Readonly<Record<string, string>>>;
  /** @default the environment's AWS_LAMBDA_FUNCTION_NAME */
  readonly functionName?: string;
  readonly functionArn?: string;
  /** @default 128 */
  readonly memorySizeMb?: number;
  /** @default 3 (Lambda's default) */
  readonly timeoutSeconds?: number;
  /** Makes the child's clock follow the emulator's. */
  readonly clockBridge?: ClockBridge;
  /** Where externals (`@aws-sdk/*`, provided by the Lambda runtime) are found. @default this project's node_modules */
  readonly nodePath?: readonly string[];
  /** The function's `Runtime`: `python3.*` runs `code` (a directory) in Python (python-runtime.ts). @default a Node.js runtime */
  readonly runtime?: string;
  /** The interpreter and layers of a Python runtime. */
  readonly python?: PythonRuntimeOptions;
  /** Receives every log line of the child. */
  readonly onLog?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** The `node` executable of the environment (e.g. Lambda's Node.js 22 or 24). @default process.execPath */
  readonly nodeExecutable?: string;
}

/** The outcome of one invocation. */
export type InvocationResult = {
  readonly requestId: string;
  /** Whether this invocation started a new environment. */
  readonly coldStart: boolean;
  readonly durationMs: number;
  /** The lines the function logged during the invocation, between Lambda's START and REPORT lines. */
  readonly logs: readonly string[];
} & ({ readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: LambdaErrorPayload });

interface Pending {
  readonly id: string;
  readonly started: number;
  readonly coldStart: boolean;
  readonly logs: string[];
  readonly finish: (outcome: { ok: true; result: unknown } | { ok: false; error: LambdaErrorPayload }) => void;
  outcome?: { ok: true; result: unknown } | { ok: false; error: LambdaErrorPayload };
  /** The environment serving it. */
  readonly child?: ChildProcess;
  markers: number;
  timer?: NodeJS.Timeout;
}

function defaultNodePath(): string[] {
  // The Lambda Node.js runtime provides the AWS SDK; here this project's node_modules does.
  const sdk = dirname(require.resolve('@aws-sdk/client-sts/package.json'));
  return [resolve(sdk, '..', '..')];
}

function resolveHandlerFile(code: string, moduleName: string): string {
  if (existsSync(code) && statSync(code).isFile()) {
    return resolve(code);
  }
  for (const extension of ['.js', '.mjs', '.cjs']) {
    const candidate = join(code, `${moduleName}${extension}`);
    if (existsSync(candidate)) {
      return resolve(candidate);
    }
  }
  throw new Error(`LambdaRunner: no ${moduleName}.js, .mjs or .cjs in ${code}`);
}

/** A warm Lambda execution environment. */
export class LambdaRunner {
  /** Starts the environment (the cold start) and resolves when the handler module is loaded. */
  public static async start(options: LambdaRunnerOptions): Promise<LambdaRunner> {
    const runner = new LambdaRunner(options);
    await runner.boot();
    return runner;
  }

  /** Every log line so far, across invocations. */
  public readonly logs: string[] = [];
  private readonly handlerFile: string;
  private readonly exportName: string;
  private readonly isolationDirectory: string;
  private child: ChildProcess | undefined;
  private initError: LambdaErrorPayload | undefined;
  private freshEnvironment = false;
  private readonly pending = new Map<string, Pending>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly waiting: Array<() => void> = [];
  private maxConcurrency = 1;
  private active = 0;
  private booting: Promise<void> | undefined;
  private starts = 0;

  private constructor(private readonly options: LambdaRunnerOptions) {
    const handler = options.handler ?? 'index.handler';
    const dot = handler.lastIndexOf('.');
    this.exportName = handler.slice(dot + 1);
    this.handlerFile = isPythonRuntime(options.runtime) ? options.code : resolveHandlerFile(options.code, handler.slice(0, dot));
    this.isolationDirectory = mkdtempSync(join(tmpdir(), 'aws-emulator-lambda-'));
  }

  /** How many environments were started (cold starts). */
  public get coldStarts(): number {
    return this.starts;
  }

  /** The child's process ID, while an environment is up. */
  public get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Invokes the function with `event`; beyond the environment's concurrency (1, or
   * `AWS_LAMBDA_MAX_CONCURRENCY`), invocations queue behind each other.
   */
  public invoke(event: unknown): Promise<InvocationResult> {
    const run = this.invokeInSlot(event);
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run)).catch(() => undefined);
    return run;
  }

  /** Ends the environment. */
  public async stop(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    await this.kill();
    rmSync(this.isolationDirectory, { recursive: true, force: true });
  }

  private get functionName(): string {
    return this.options.functionName ?? this.options.environment.AWS_LAMBDA_FUNCTION_NAME ?? 'function';
  }

  private async invokeInSlot(event: unknown): Promise<InvocationResult> {
    while (this.active >= this.maxConcurrency) {
      await new Promise<void>((resolveSlot) => this.waiting.push(resolveSlot));
    }
    this.active++;
    try {
      return await this.invokeNow(event);
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  private async boot(): Promise<void> {
    this.starts++;
    this.freshEnvironment = true;
    this.initError = undefined;
    const environment = (await this.options.environmentForColdStart?.()) ?? this.options.environment;
    this.maxConcurrency = Math.max(1, Math.floor(Number(environment.AWS_LAMBDA_MAX_CONCURRENCY)) || 1);
    const childEnvironment = {
      PATH: process.env.PATH ?? '',
      AWS_CONFIG_FILE: join(this.isolationDirectory, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(this.isolationDirectory, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      ...environment,
      ...(this.options.clockBridge?.environment() ?? {}),
    };
    const child = isPythonRuntime(this.options.runtime)
      ? spawnPythonRuntime({ code: this.handlerFile, handler: this.options.handler ?? 'index.handler', environment: childEnvironment, python: this.options.python })
      : fork(childScriptPath('lambda-runtime'), [this.handlerFile, this.exportName], {
        env: { NODE_PATH: (this.options.nodePath ?? defaultNodePath()).join(':'), ...childEnvironment },
        execArgv: [...(this.options.clockBridge?.nodeOptions() ?? []), '--enable-source-maps'],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        serialization: 'json',
        execPath: this.options.nodeExecutable,
      });
    this.child = child;
    for (const stream of ['stdout', 'stderr'] as const) {
      createInterface({ input: child[stream]! }).on('line', (line) => this.onLine(line, stream));
    }
    child.on('message', (message: RuntimeMessage) => this.onMessage(message));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    await new Promise<void>((resolveBoot) => {
      const done = (): void => {
        child.off('message', onMessage);
        child.off('exit', done);
        resolveBoot();
      };
      const onMessage = (message: RuntimeMessage): void => {
        if (message.type === 'ready' || message.type === 'init-error') {
          done();
        }
      };
      child.on('message', onMessage);
      child.on('exit', done);
    });
  }

  private async invokeNow(event: unknown): Promise<InvocationResult> {
    if (!this.child) {
      this.booting ??= this.boot().finally(() => {
        this.booting = undefined;
      });
      await this.booting;
    }
    const coldStart = this.freshEnvironment;
    this.freshEnvironment = false;
    const id = randomUUID();
    const started = performance.now();
    const logs: string[] = [`START RequestId: ${id} Version: $LATEST`];
    if (this.initError || !this.child) {
      const error = this.initError ?? { errorType: 'Runtime.ExitError', errorMessage: 'The runtime exited during init', trace: [] };
      await this.kill();
      return { requestId: id, coldStart, durationMs: 0, logs: [...logs, `END RequestId: ${id}`], ok: false, error };
    }
    const timeoutMs = (this.options.timeoutSeconds ?? 3) * 1000;
    const outcome = await new Promise<Pending['outcome'] & object>((finish) => {
      const pending: Pending = { id, started, coldStart, logs, finish, markers: 0, child: this.child };
      this.pending.set(id, pending);
      pending.timer = setTimeout(() => {
        pending.outcome = {
          ok: false,
          error: { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`, trace: [] },
        };
        pending.markers = 2;
        this.complete(pending);
        void this.kill();
      }, timeoutMs);
      const message: InvokeMessage = {
        type: 'invoke',
        id,
        event,
        timeoutMs,
        context: {
          awsRequestId: id,
          functionName: this.functionName,
          functionVersion: '$LATEST',
          invokedFunctionArn: this.options.functionArn ?? `arn:aws:lambda:us-east-1:000000000000:function:${this.functionName}`,
          memoryLimitInMB: String(this.options.memorySizeMb ?? 128),
          logGroupName: `/aws/lambda/${this.functionName}`,
          logStreamName: `2024/01/01/[$LATEST]${id.replace(/-/g, '')}`,
        },
      };
      this.child!.send(message);
    });
    const durationMs = Math.round((performance.now() - started) * 100) / 100;
    logs.push(`END RequestId: ${id}`, `REPORT RequestId: ${id}\tDuration: ${durationMs.toFixed(2)} ms\tMemory Size: ${this.options.memorySizeMb ?? 128} MB`);
    return { requestId: id, coldStart, durationMs, logs, ...outcome };
  }

  private onLine(line: string, stream: 'stdout' | 'stderr'): void {
    if (line.startsWith(INVOCATION_END_MARKER)) {
      const pending = this.pending.get(line.slice(INVOCATION_END_MARKER.length + 1));
      if (pending) {
        pending.markers++;
        this.complete(pending);
      }
      return;
    }
    this.logs.push(line);
    for (const pending of this.pending.values()) pending.logs.push(line);
    this.options.onLog?.(line, stream);
  }

  private onMessage(message: RuntimeMessage): void {
    if (message.type === 'init-error') {
      this.initError = message.error;
      return;
    }
    const pending = message.type === 'ready' ? undefined : this.pending.get(message.id);
    if (!pending || message.type === 'ready') {
      return;
    }
    pending.outcome = message.type === 'result' ? { ok: true, result: message.result } : { ok: false, error: message.error };
    if (message.type === 'error' && message.fatal) {
      // The runtime is exiting (uncaught exception): the next invocation needs a new environment.
      const dying = this.child;
      this.child = undefined;
      setTimeout(() => dying?.kill('SIGKILL'), 1000).unref();
    }
    this.complete(pending);
    // Logs written just before the answer may still be in the pipes: give them a moment.
    setTimeout(() => {
      if (this.pending.get(pending.id) === pending) {
        pending.markers = 2;
        this.complete(pending);
      }
    }, 500).unref();
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child === child) {
      this.child = undefined;
    }
    for (const pending of [...this.pending.values()].filter((p) => p.child === child)) {
      if (!pending.outcome) {
        pending.outcome = {
          ok: false,
          error: { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${pending.id} Error: Runtime exited ${signal ? `with signal: ${signal}` : `with error: exit status ${code}`}`, trace: [] },
        };
      }
      pending.markers = 2;
      this.complete(pending);
    }
  }

  private complete(pending: Pending): void {
    if (!pending.outcome || pending.markers < 2) {
      return;
    }
    clearTimeout(pending.timer);
    this.pending.delete(pending.id);
    pending.finish(pending.outcome);
  }

  private async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolveExit) => {
        child.once('exit', () => resolveExit());
        child.kill('SIGKILL');
      });
    }
  }
}
