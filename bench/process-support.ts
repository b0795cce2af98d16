/**
 * Running bundled handlers in `node` child processes with a Lambda-like environment: the emulator
 * as every endpoint, the function's region and name, no shared AWS config files, and
 * `@aws-sdk/*` from this repository's node_modules (the Lambda runtime provides it there).
 */

import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { EXTERNAL_ID, HUB_ROLE_ARN, REGION, SESSION_NAME } from './scenario';
import type { HubScenario, StaticCredentials } from './scenario';

/** The environment every child starts from (no credentials, no hub variables). */
export function baseEnvironment(scenario: HubScenario, scratch: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    NODE_PATH: path.resolve(__dirname, '..', 'node_modules'),
    NODE_NO_WARNINGS: '1',
    AWS_REGION: REGION,
    AWS_LAMBDA_FUNCTION_NAME: SESSION_NAME,
    // Inside the Lambda runtime, as far as the shim can tell (it starts AssumeRole during INIT);
    // nothing here calls the Runtime API.
    AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001',
    AWS_ENDPOINT_URL: scenario.endpoint,
    AWS_CONFIG_FILE: path.join(scratch, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(scratch, 'no-aws-credentials'),
  };
}

/** Credentials as the environment variables Lambda sets. */
export function credentialEnvironment(c: StaticCredentials): Record<string, string> {
  return { AWS_ACCESS_KEY_ID: c.accessKeyId, AWS_SECRET_ACCESS_KEY: c.secretAccessKey, AWS_SESSION_TOKEN: c.sessionToken ?? '' };
}

/** The hub variables of the contract, hub mode on. */
export const HUB_ENVIRONMENT: Readonly<Record<string, string>> = {
  BEDROCK_ASSUME_ROLE_ARN: HUB_ROLE_ARN,
  BEDROCK_ASSUME_ROLE_EXTERNAL_ID: EXTERNAL_ID,
};

/** One run of a bundled handler in its own process, in ms. */
export interface HandlerProcessSample {
  /** Loading the module (`require`: the SDK modules it pulls in, module-scope setup). */
  readonly require: number;
  /** Loading the module and awaiting its `ready` promise, if it exports one (other INIT work). */
  readonly init: number;
  /** The first invocation, after INIT. */
  readonly invoke: number;
}

/**
 * The child's script, as Lambda runs a handler: load the module (INIT), await its `ready` if any,
 * then invoke it once with a prompt; it fails if the handler answers without text.
 */
const HANDLER_PROCESS_SCRIPT = `
const { performance } = require('node:perf_hooks');
const [file] = process.argv.slice(1).filter((a) => a !== '--');
const t0 = performance.now();
const h = require(file);
const t1 = performance.now();
Promise.resolve(h.ready).then(() => {
  const t2 = performance.now();
  return h.handler({ prompt: 'Hello' }).then((r) => {
    const t3 = performance.now();
    if (!r || !r.text) throw new Error('the handler answered without text');
    process.stdout.write(JSON.stringify({ require: t1 - t0, init: t2 - t0, invoke: t3 - t2 }), () => process.exit(0));
  });
}).catch((e) => { process.stderr.write(String((e && e.stack) || e), () => process.exit(1)); });
`;

/** Runs the bundled handler in `file` once in a new `node` process with `env`: its INIT and first invocation. */
export function runHandlerProcess(file: string, env: Record<string, string>): Promise<HandlerProcessSample> {
  return runNodeScript<HandlerProcessSample>(HANDLER_PROCESS_SCRIPT, [file], env);
}

/**
 * Runs `script` (CommonJS, `node -e`) with `args` and `env`; resolves with the JSON it writes to
 * stdout, rejects with its stderr when it exits non-zero.
 */
export function runNodeScript<T>(script: string, args: readonly string[], env: Record<string, string>): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, '--', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`the child process exited with ${code}: ${stderr.trim()}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout) as T);
      } catch {
        reject(new Error(`the child process wrote no JSON: ${stdout.slice(0, 200)} ${stderr.trim()}`));
      }
    });
  });
}
