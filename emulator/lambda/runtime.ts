/**
 * The runtime loop inside a warm Lambda child process (started by runner.ts): loads the
 * bundled handler once (the cold start), then serves invocations received over IPC one at a time,
 * like the Node.js Lambda runtime: async handlers, callback handlers, `context` with
 * `getRemainingTimeInMillis()`, errors reported as `{ errorType, errorMessage, trace }`, and an
 * uncaught exception or unhandled rejection ending the environment.
 *
 * This file runs in the child only; esbuild compiles it on demand (it needs node built-ins only).
 * Arguments: `<handler file> <export name>`.
 */
import { performance } from 'perf_hooks';
import { pathToFileURL } from 'url';
import { INVOCATION_END_MARKER, InvokeMessage, LambdaErrorPayload, RuntimeMessage } from './protocol';

type Handler = (event: unknown, context: unknown, callback: (error?: unknown, result?: unknown) => void) => unknown;

function toErrorPayload(error: unknown, fallbackType = 'Error'): LambdaErrorPayload {
  if (error instanceof Error) {
    return { errorType: error.name || fallbackType, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  }
  return { errorType: fallbackType, errorMessage: typeof error === 'string' ? error : JSON.stringify(error) ?? String(error), trace: [] };
}

function send(message: RuntimeMessage): void {
  process.send?.(message);
}

function endOfInvocation(id: string): void {
  process.stdout.write(`${INVOCATION_END_MARKER} ${id}\n`);
  process.stderr.write(`${INVOCATION_END_MARKER} ${id}\n`);
}

async function loadHandler(file: string, exportName: string): Promise<Handler> {
  const module = await import(pathToFileURL(file).href) as Record<string, unknown>;
  const candidate = module[exportName] ?? (module.default as Record<string, unknown> | undefined)?.[exportName];
  if (typeof candidate !== 'function') {
    const error = new Error(`${file} does not export a function named ${exportName}`);
    error.name = 'Runtime.HandlerNotFound';
    throw error;
  }
  return candidate as Handler;
}

function callHandler(handler: Handler, event: unknown, context: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error?: unknown, result?: unknown): void => {
      if (settled) {
        return;
      }
      settled = true;
      if (error !== undefined && error !== null) {
        reject(error);
      } else {
        resolve(result);
      }
    };
    try {
      const returned = handler(event, context, finish);
      if (returned && typeof (returned as Promise<unknown>).then === 'function') {
        (returned as Promise<unknown>).then((value) => finish(undefined, value), (error: unknown) => finish(error ?? new Error('rejected')));
      } else if (handler.length < 3) {
        finish(undefined, returned);
      }
    } catch (error) {
      finish(error);
    }
  });
}

async function main(): Promise<void> {
  const [file, exportName] = process.argv.slice(2);
  let handler: Handler;
  try {
    handler = await loadHandler(file, exportName);
  } catch (error) {
    send({ type: 'init-error', error: toErrorPayload(error, 'Runtime.ImportModuleError') });
    process.exitCode = 1;
    process.disconnect?.();
    return;
  }
  let current: string | undefined;
  const fatal = (errorType: string) => (error: unknown): void => {
    if (current !== undefined) {
      const payload = toErrorPayload(error);
      send({ type: 'error', id: current, error: { ...payload, errorType }, fatal: true });
      endOfInvocation(current);
    }
    process.exit(1);
  };
  // The environment ends with the runner (the parent), as a Lambda sandbox ends with its host.
  process.on('disconnect', () => process.exit(0));
  process.on('uncaughtException', fatal('Runtime.UncaughtException'));
  process.on('unhandledRejection', fatal('Runtime.UnhandledPromiseRejection'));
  process.on('message', (message: InvokeMessage) => {
    if (message.type !== 'invoke') {
      return;
    }
    current = message.id;
    const deadline = performance.now() + message.timeoutMs;
    const context = {
      ...message.context,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: (): number => Math.max(0, Math.round(deadline - performance.now())),
    };
    callHandler(handler, message.event, context).then(
      (result) => {
        let serialized: unknown;
        try {
          serialized = JSON.parse(JSON.stringify(result ?? null));
        } catch (error) {
          send({ type: 'error', id: message.id, error: toErrorPayload(error, 'Runtime.MarshalError'), fatal: false });
          return;
        }
        send({ type: 'result', id: message.id, result: serialized });
      },
      (error: unknown) => send({ type: 'error', id: message.id, error: toErrorPayload(error), fatal: false }),
    ).finally(() => {
      endOfInvocation(message.id);
      current = undefined;
    });
  });
  send({ type: 'ready' });
}

void main();
